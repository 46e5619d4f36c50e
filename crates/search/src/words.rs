//! How text becomes the words search compares: cut at anything that is not a letter or a digit,
//! case folded, each Russian word put in its dictionary form (every form the dictionary allows for
//! it: «данных» is «данные» and «данный»; OpenCorpora through `rumorph`, which also guesses words
//! it does not know by their endings), «ё» as «е», English endings taken off (Snowball). The
//! stemmer alone would keep «граждан» from «гражданами» and «органы» from «органов». A query is
//! read the same way: its words, its phrases in quotes (unbalanced quotes are plain words),
//! nothing of it is syntax — whatever a visitor types is looked for, never an error.

use std::sync::OnceLock;

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The analyzer of the searched fields: words stemmed.
pub const STEMMED: &str = "ru_stem";
/// The analyzer of the vocabulary: words as written, folded (for corrections and prefixes).
pub const PLAIN: &str = "ru_plain";

/// Longest query read, in characters; the rest is cut (and the page says so).
pub const MOST_QUERY_CHARS: usize = 200;
/// Most words of a query looked for.
pub const MOST_QUERY_WORDS: usize = 12;

pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Lemmas)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The Russian dictionary, read once per process (a few milliseconds; its words stay in the
/// binary's memory, shared).
fn dictionary() -> Option<&'static rumorph::Dictionary> {
    static DICTIONARY: OnceLock<Option<rumorph::Dictionary>> = OnceLock::new();
    DICTIONARY
        .get_or_init(|| match rumorph::Dictionary::bundled() {
            Ok(d) => Some(d),
            Err(e) => {
                tracing::error!(error = %e, "the Russian dictionary cannot be read: words are searched as written");
                None
            }
        })
        .as_ref()
}

/// A reading of a word less likely than this is not indexed («стали» is «стать», hardly «сталь»).
const LEAST_LIKELY: f64 = 0.05;
/// Most dictionary forms kept for one word.
const MOST_LEMMAS: usize = 3;

/// Words a thread remembers the dictionary forms of (officials repeat their words: most are
/// found here, not looked up again); the memory is emptied when it is full.
const REMEMBERED: usize = 50_000;

thread_local! {
    static SEEN: std::cell::RefCell<std::collections::HashMap<String, Vec<String>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The dictionary forms of a lower-cased word, «ё» as «е», most likely first; the word itself
/// when it is not Cyrillic or the dictionary cannot be read.
pub fn lemmas(word: &str) -> Vec<String> {
    if let Some(known) = SEEN.with(|s| s.borrow().get(word).cloned()) {
        return known;
    }
    let out = look_up(word);
    SEEN.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() >= REMEMBERED {
            s.clear();
        }
        s.insert(word.to_string(), out.clone());
    });
    out
}

fn look_up(word: &str) -> Vec<String> {
    let folded = fold(word);
    let cyrillic = word.chars().any(|c| matches!(c, 'а'..='я' | 'ё'));
    let Some(d) = dictionary().filter(|_| cyrillic) else { return vec![folded] };
    let mut out: Vec<String> = Vec::with_capacity(MOST_LEMMAS);
    for a in d.analyze(word) {
        if out.len() == MOST_LEMMAS || (a.prob < LEAST_LIKELY && !out.is_empty()) {
            break;
        }
        let lemma = fold(&a.lemma.to_lowercase());
        if !out.contains(&lemma) {
            out.push(lemma);
        }
    }
    if out.is_empty() {
        out.push(folded);
    }
    out
}

/// A token filter putting each word in its dictionary forms, at the word's place.
#[derive(Clone, Copy)]
struct Lemmas;

impl TokenFilter for Lemmas {
    type Tokenizer<T: Tokenizer> = LemmasFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> LemmasFilter<T> {
        LemmasFilter { inner: tokenizer, forms: Vec::new() }
    }
}

#[derive(Clone)]
struct LemmasFilter<T> {
    inner: T,
    forms: Vec<Token>,
}

impl<T: Tokenizer> Tokenizer for LemmasFilter<T> {
    type TokenStream<'a> = LemmasStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.forms.clear();
        LemmasStream { tail: self.inner.token_stream(text), forms: &mut self.forms }
    }
}

struct LemmasStream<'a, T> {
    tail: T,
    /// The forms of the current word not given yet, the next last.
    forms: &'a mut Vec<Token>,
}

impl<T: TokenStream> TokenStream for LemmasStream<'_, T> {
    fn advance(&mut self) -> bool {
        self.forms.pop();
        if !self.forms.is_empty() {
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        for lemma in lemmas(&token.text).into_iter().rev() {
            self.forms.push(Token { text: lemma, ..token.clone() });
        }
        true
    }

    fn token(&self) -> &Token {
        self.forms.last().unwrap_or_else(|| self.tail.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        self.forms.last_mut().unwrap_or_else(|| self.tail.token_mut())
    }
}

pub fn plain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(40)).filter(LowerCaser).build()
}

/// «ё» as «е» (the stemmer folds it too; the plain words need it done here).
pub fn fold(text: &str) -> String {
    text.replace(['ё', 'Ё'], "е")
}

/// The tokens of `text` under `analyzer`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut stream = analyzer.token_stream(&folded);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The tokens of `text` under `analyzer`, grouped by the word they stand for (a word's readings).
pub fn readings(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Vec<String>> {
    let folded = fold(text);
    let mut stream = analyzer.token_stream(&folded);
    let mut out: Vec<(usize, Vec<String>)> = Vec::new();
    while stream.advance() {
        let t = stream.token();
        match out.last_mut() {
            Some((position, forms)) if *position == t.position => {
                if !forms.contains(&t.text) {
                    forms.push(t.text.clone());
                }
            }
            _ => out.push((t.position, vec![t.text.clone()])),
        }
    }
    out.into_iter().map(|(_, forms)| forms).collect()
}

/// Words that say nothing of what is looked for, as written (folded): left out of a query that
/// has other words. Short on purpose — «права человека» must find what it says.
const STOP: &[&str] = &[
    "а", "без", "в", "во", "для", "до", "и", "из", "или", "к", "как", "ко", "на", "над", "не", "о", "об", "от", "по",
    "под", "при", "про", "с", "со", "у", "что", "the", "of", "and", "a", "an", "in", "on", "for", "to",
];

pub fn is_stop(word: &str) -> bool {
    STOP.contains(&word)
}

/// One part of a query: a word, or words in quotes to be found side by side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Word(String),
    Phrase(Vec<String>),
}

/// A query as read: its parts (words as written, folded and lower-cased) and whether it was cut.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Read {
    pub parts: Vec<Part>,
    pub cut: bool,
}

impl Read {
    /// The query as it reads back ("обращения граждан", "\"открытые данные\" бюджет").
    pub fn text(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Word(w) => w.clone(),
                Part::Phrase(ws) => format!("\"{}\"", ws.join(" ")),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// Reads what a visitor typed.
pub fn read(query: &str) -> Read {
    let mut cut = false;
    let mut q: String = query.chars().take(MOST_QUERY_CHARS + 1).collect();
    if q.chars().count() > MOST_QUERY_CHARS {
        q = q.chars().take(MOST_QUERY_CHARS).collect();
        cut = true;
    }
    let q = q.replace(['«', '»', '“', '”', '„'], "\"");
    let mut plain = self::plain();
    let quotes = q.matches('"').count();
    let mut parts = Vec::new();
    for (i, chunk) in q.split('"').enumerate() {
        // An odd piece is inside quotes, unless it is the tail after an unbalanced quote.
        let quoted = i % 2 == 1 && i < quotes;
        let words = tokens(&mut plain, chunk);
        if quoted && words.len() > 1 {
            parts.push(Part::Phrase(words));
        } else {
            parts.extend(words.into_iter().map(Part::Word));
        }
    }
    let meaningful = parts.iter().any(|p| !matches!(p, Part::Word(w) if is_stop(w)));
    if meaningful {
        parts.retain(|p| !matches!(p, Part::Word(w) if is_stop(w)));
    }
    if parts.len() > MOST_QUERY_WORDS {
        parts.truncate(MOST_QUERY_WORDS);
        cut = true;
    }
    Read { parts, cut }
}

/// How far a word may be from a word of the index to be taken for a typo of it: none for short
/// words, one letter for middle ones, two for long ones.
pub fn typo_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &str) -> Vec<Part> {
        read(q).parts
    }

    fn w(s: &str) -> Part {
        Part::Word(s.into())
    }

    #[test]
    fn case_and_yo_and_punctuation_fold() {
        assert_eq!(words("Ёлки, ПАЛКИ!"), vec![w("елки"), w("палки")]);
        assert_eq!(tokens(&mut stemmed(), "datasets"), ["dataset"]);
    }

    #[test]
    fn words_take_their_dictionary_forms_where_a_stemmer_would_part_them() {
        let mut a = stemmed();
        // Snowball: «гражда» / «граждан», «орга» / «орган», «при» / «прием».
        assert_eq!(tokens(&mut a, "граждан гражданами граждане"), ["гражданин", "гражданин", "гражданин"]);
        assert_eq!(tokens(&mut a, "органы органов"), ["орган", "орган"]);
        assert_eq!(tokens(&mut a, "приём приема"), ["прием", "прием"]);
        // Every likely reading is kept, at the word's place.
        assert_eq!(tokens(&mut a, "данных"), ["данные", "данный"]);
        assert_eq!(lemmas("соцзащиты"), ["соцзащита"]);
        assert_eq!(lemmas("2026"), ["2026"]);
        assert_eq!(readings(&mut a, "открытых данных"), [vec!["открытый", "открыть"], vec!["данные", "данный"]]);
    }

    #[test]
    fn quotes_make_phrases_and_an_unbalanced_one_is_a_word_boundary() {
        assert_eq!(
            words("\"открытые данные\" бюджет"),
            vec![Part::Phrase(vec!["открытые".into(), "данные".into()]), w("бюджет")]
        );
        assert_eq!(words("«дорожная карта»"), vec![Part::Phrase(vec!["дорожная".into(), "карта".into()])]);
        assert_eq!(words("\"открытые данные"), vec![w("открытые"), w("данные")]);
        assert_eq!(words("a \"b c\" \"d e"), vec![Part::Phrase(vec!["b".into(), "c".into()]), w("d"), w("e")]);
    }

    #[test]
    fn syntax_characters_are_just_not_words() {
        assert_eq!(
            words("title:(бюджет OR *данные~2)^3 -x"),
            vec![w("title"), w("бюджет"), w("or"), w("данные"), w("2"), w("3"), w("x")]
        );
        assert!(read("!!! ??? ***").is_empty());
        assert!(read("").is_empty());
    }

    #[test]
    fn stop_words_go_unless_they_are_all_there_is() {
        assert_eq!(words("порядок по обращениям"), vec![w("порядок"), w("обращениям")]);
        assert_eq!(words("и"), vec![w("и")]);
    }

    #[test]
    fn a_long_query_is_cut_and_says_so() {
        let long = "бюджет ".repeat(2_000);
        let r = read(&long);
        assert!(r.cut);
        assert_eq!(r.parts.len(), MOST_QUERY_WORDS);
        assert!(!read("бюджет").cut);
    }
}
