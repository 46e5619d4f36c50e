//! The interface strings of search (Russian, English). `{}` stands for what the visitor wrote.

use shell::i18n::Table;

pub const STRINGS: Table = &[
    ("search", "Поиск по порталу", "Search the portal"),
    ("service_search", "Поиск", "Search"),
    (
        "service_search_hint",
        "Найти документ, новость, набор открытых данных, мероприятие плана или ответ на обращение по словам из них.",
        "Find a document, news item, open dataset, plan measure or published answer by its words.",
    ),
    ("search_what", "Что найти", "What to find"),
    (
        "search_hint",
        "Слова в любой форме; опечатки исправляются. Слова в кавычках ищутся рядом.",
        "Words in any form; typos are corrected. Words in quotes are found side by side.",
    ),
    ("search_button", "Найти", "Search"),
    ("search_filters", "Уточнить поиск", "Narrow the search"),
    ("search_kind", "Что искать", "Kind"),
    ("search_any_kind", "Всё", "Everything"),
    ("search_body", "Орган", "Body"),
    ("search_any_body", "Все органы", "All bodies"),
    ("search_from", "Опубликовано с", "Published from"),
    ("search_to", "Опубликовано по", "Published until"),
    ("search_found", "Найдено", "Found"),
    ("search_none", "Ничего не найдено", "Nothing found"),
    (
        "search_none_hint",
        "Попробуйте другие слова или уберите уточнения поиска.",
        "Try other words or remove the filters.",
    ),
    ("search_nothing_for", "По запросу «{}» ничего не найдено.", "Nothing was found for «{}»."),
    ("search_shown_for", "Показаны результаты по запросу «{}».", "Showing results for «{}»."),
    (
        "search_cut",
        "Запрос длиннее {} знаков: искали по его началу.",
        "The query is longer than {} characters: its beginning was searched.",
    ),
    (
        "search_unknown_body",
        "Органа с адресом «{}» на портале нет: искали по всем органам.",
        "There is no body «{}» on the portal: all bodies were searched.",
    ),
    (
        "search_unknown_kind",
        "Раздела «{}» в поиске нет: искали везде.",
        "Search has no section «{}»: everything was searched.",
    ),
    (
        "search_bad_date",
        "«{}» — не дата (нужно ГГГГ-ММ-ДД): поиск без этой даты.",
        "«{}» is not a date (YYYY-MM-DD): searched without it.",
    ),
    ("search_pages", "Страницы результатов", "Result pages"),
    ("search_complete", "со всеми словами", "with every word"),
    ("search_partial", "найдены не все слова", "not every word found"),
    ("search_kind_other", "Материал", "Item"),
    ("search_kind_section", "Раздел портала", "Portal section"),
];
