//! Interface strings in Russian (the default) and English. Content (names of bodies,
//! documents) is shown as entered; only the interface is translated. The shell has its table
//! (the frame, errors, sign-in, administration and what several mechanisms share); each
//! mechanism brings its own, and `Strings` holds them all, checked once at start-up.

use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Of a text the domain gives in both languages, the one in this language.
    pub fn pick<T>(self, ru: T, en: T) -> T {
        match self {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

/// A table of interface strings: (key, Russian, English).
pub type Table = &'static [(&'static str, &'static str, &'static str)];

/// The Russian text of a key in one table, for what is always written in Russian (letters to
/// citizens, reports under Russian law) by code that has no `Strings` at hand.
pub fn russian(table: Table, key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _, _)| *k == key).map(|(_, ru, _)| *ru)
}

/// The shell's own strings.
pub const SHELL: Table = &[
    ("skip", "Перейти к содержанию", "Skip to content"),
    ("home", "Главная", "Home"),
    ("site_search", "Поиск по порталу", "Search the portal"),
    ("site_search_button", "Найти", "Search"),
    ("page_word", "Страница", "Page"),
    ("previous_page", "← Предыдущая", "← Previous"),
    ("next_page", "Следующая →", "Next →"),
    ("term.ok", "в срок", "on time"),
    ("term.soon", "срок скоро", "due soon"),
    ("term.overdue", "просрочено", "overdue"),
    ("term.done", "завершено", "done"),
    (
        "home_lead",
        "Обратиться в органы власти, узнать, что с обращением, найти их данные и планы — в одном месте.",
        "Write to the bodies, follow your appeal, find their data and plans — in one place.",
    ),
    ("what_to_do", "Что вы хотите сделать?", "What would you like to do?"),
    ("body_services", "Услуги органа", "Services of the body"),
    ("find_dataset", "Найти набор открытых данных", "Find an open dataset"),
    ("todo_heading", "Что нужно сделать", "What needs doing"),
    (
        "nothing_to_do",
        "Срочных дел нет: всё, что зависит от вас, сделано в срок.",
        "Nothing urgent: everything that depends on you is on time.",
    ),
    ("desks_heading", "Разделы работы", "Work areas"),
    ("fix_errors", "Исправьте ошибки", "Fix the errors"),
    ("refused_title", "Ошибка", "Error"),
    ("services_menu", "Разделы портала", "Portal sections"),
    ("table_scrolls", "Таблица прокручивается по горизонтали", "The table scrolls sideways"),
    ("bodies", "Органы власти и организации", "Bodies and organisations"),
    (
        "bodies_intro",
        "Исполнительные органы и подведомственные им организации, работающие на портале.",
        "Executive bodies and their subordinate organisations on this portal.",
    ),
    ("no_bodies", "Органы ещё не добавлены.", "No bodies have been added yet."),
    ("a11y_on", "Версия для слабовидящих", "Version for the visually impaired"),
    ("a11y_off", "Обычная версия", "Standard version"),
    ("a11y_panel", "Настройки версии для слабовидящих", "Settings of the version for the visually impaired"),
    ("font_size", "Размер шрифта", "Font size"),
    ("colours", "Цвета", "Colours"),
    ("scheme_bw", "Чёрным по белому", "Black on white"),
    ("scheme_wb", "Белым по чёрному", "White on black"),
    ("scheme_blue", "Тёмно-синим по голубому", "Dark blue on light blue"),
    ("images", "Изображения", "Images"),
    ("images_on", "показывать", "show"),
    ("images_off", "скрыть", "hide"),
    ("lang_switch", "English", "Русский"),
    ("contacts", "Контакты", "Contacts"),
    ("phone", "Телефон", "Phone"),
    ("email", "Электронная почта", "E-mail"),
    ("address", "Адрес", "Address"),
    ("website", "Сайт", "Website"),
    ("head", "Руководитель", "Head"),
    ("reception_hours", "Приём граждан", "Reception hours"),
    ("powers", "Полномочия", "Powers"),
    ("requisites", "Реквизиты", "Details"),
    ("inn", "ИНН", "INN"),
    ("ogrn", "ОГРН", "OGRN"),
    ("subordinates", "Подведомственные организации", "Subordinate organisations"),
    ("parent_body", "Вышестоящий орган", "Parent body"),
    ("updated", "Обновлено", "Updated"),
    ("published", "Опубликовано", "Published"),
    ("machine_readable", "Машиночитаемая версия (JSON)", "Machine-readable version (JSON)"),
    ("feeds", "Новое по подписке", "Subscribe to what is new"),
    ("breadcrumbs", "Навигация", "Breadcrumbs"),
    ("staff_area", "Вход для сотрудников", "Staff sign-in"),
    ("not_found_title", "Страница не найдена", "Page not found"),
    (
        "not_found_text",
        "Такой страницы на портале нет. Возможно, адрес набран с ошибкой или страница перенесена.",
        "There is no such page on the portal. The address may be mistyped or the page may have moved.",
    ),
    (
        "not_found_try",
        "Начните с главной страницы или выберите орган власти:",
        "Start from the home page or choose a body:",
    ),
    ("error_title", "Что-то пошло не так", "Something went wrong"),
    (
        "error_text",
        "На сервере произошла ошибка. Мы уже записали её; попробуйте ещё раз через минуту.",
        "The server had an error. It has been logged; please try again in a minute.",
    ),
    ("error_ref", "Номер ошибки для обращения в поддержку", "Error reference for support"),
    ("bad_request_title", "Запрос не удалось обработать", "The request could not be processed"),
    ("forbidden_title", "Доступ запрещён", "Access denied"),
    ("forbidden_text", "У вашей учётной записи нет прав на эту страницу.", "Your account has no rights to this page."),
    ("csrf_title", "Форма устарела", "The form has expired"),
    (
        "csrf_text",
        "Форма была открыта слишком давно или отправлена с другого сайта. Вернитесь назад, обновите страницу и отправьте форму ещё раз.",
        "The form is too old or came from another site. Go back, reload the page and send the form again.",
    ),
    ("too_many_title", "Слишком много попыток", "Too many attempts"),
    (
        "too_many_text",
        "С вашего адреса было слишком много попыток. Подождите несколько минут и попробуйте снова.",
        "Too many attempts from your address. Wait a few minutes and try again.",
    ),
    ("go_home", "На главную", "Go to the home page"),
    ("footer_portal", "Официальный портал", "Official portal"),
    ("login_title", "Вход для сотрудников", "Staff sign-in"),
    ("login_email", "Электронная почта", "E-mail"),
    ("login_password", "Пароль", "Password"),
    ("login_submit", "Войти", "Sign in"),
    (
        "login_locked",
        "Учётная запись временно заблокирована после нескольких неверных паролей. Попробуйте снова после",
        "The account is temporarily locked after several wrong passwords. Try again after",
    ),
    ("logout", "Выйти", "Sign out"),
    ("staff_home", "Рабочее место", "Workspace"),
    ("your_bodies", "Ваши органы", "Your bodies"),
    ("your_roles", "Ваши роли", "Your roles"),
    ("admin", "Администрирование портала", "Portal administration"),
    ("portal_settings", "Сведения о портале", "Portal details"),
    ("users", "Сотрудники", "Staff"),
    ("audit", "Журнал изменений", "Audit log"),
    ("outbox", "Очередь писем", "Outgoing mail queue"),
    ("new_body", "Добавить орган", "Add a body"),
    ("new_subordinate", "Добавить подведомственную организацию", "Add a subordinate organisation"),
    ("edit_body", "Изменить сведения", "Edit details"),
    ("delete_body", "Удалить", "Delete"),
    (
        "delete_confirm",
        "Удалить орган без возможности восстановления? Запись об удалении и прежние сведения останутся в журнале изменений.",
        "Delete this body permanently? The audit log keeps the deletion and the previous details.",
    ),
    ("save", "Сохранить", "Save"),
    ("cancel", "Отмена", "Cancel"),
    ("saved", "Изменения сохранены.", "Changes saved."),
    ("created", "Создано.", "Created."),
    ("deleted", "Удалено.", "Deleted."),
    ("form_errors", "Исправьте ошибки в форме:", "Please correct the errors in the form:"),
    ("required", "обязательное поле", "required"),
    ("f_slug", "Адрес раздела (латиница)", "Section address (Latin letters)"),
    (
        "f_slug_hint",
        "Например, social-protection: раздел будет открываться по адресу /o/social-protection/",
        "For example social-protection: the section opens at /o/social-protection/",
    ),
    ("f_full_name", "Полное наименование", "Full name"),
    ("f_short_name", "Краткое наименование", "Short name"),
    ("f_head_name", "Руководитель (ФИО)", "Head (full name)"),
    ("f_head_position", "Должность руководителя", "Head's position"),
    ("f_powers", "Полномочия и функции", "Powers and functions"),
    ("f_display_name", "Имя", "Name"),
    ("f_role", "Роль", "Role"),
    ("f_body", "Орган", "Body"),
    ("f_password", "Пароль (не короче 10 символов)", "Password (at least 10 characters)"),
    ("portal_wide", "весь портал", "whole portal"),
    ("new_user", "Добавить сотрудника", "Add a staff member"),
    ("filter", "Показать", "Show"),
    ("download_csv", "Скачать CSV", "Download CSV"),
    ("when", "Когда", "When"),
    ("who", "Кто", "Who"),
    ("action", "Действие", "Action"),
    ("object", "Объект", "Object"),
    ("before", "До", "Before"),
    ("after", "После", "After"),
    ("from_date", "С даты", "From date"),
    ("to_date", "По дату", "To date"),
    ("all", "все", "all"),
    ("older", "Более ранние записи", "Older entries"),
    ("nothing_found", "Ничего не найдено.", "Nothing found."),
    ("portal_name", "Название портала", "Portal name"),
    ("portal_kind", "Тип", "Kind"),
    ("kind_region", "Субъект Российской Федерации", "Region"),
    ("kind_municipality", "Муниципальное образование", "Municipality"),
    ("roadmaps", "Планы мероприятий", "Roadmaps"),
    ("openness", "Открытость", "Openness"),
    ("line", "строка", "line"),
    ("number", "№", "No."),
    ("status", "Статус", "Status"),
    ("field", "Поле", "Field"),
    ("comment_author", "Подпись", "Signature"),
    (
        "comment_author_hint",
        "Будет опубликована. Можно оставить пустой.",
        "Published with the comment; may be left empty.",
    ),
    ("comment_email", "Электронная почта", "E-mail"),
    (
        "comment_email_hint",
        "Не публикуется: на неё придёт подтверждение и ответ органа.",
        "Never published: for the confirmation and the reply.",
    ),
    (
        "answer_consent",
        "Согласен на обработку моих персональных данных для рассмотрения обращения и ответа на него (Федеральный закон № 152-ФЗ)",
        "I consent to the processing of my personal data to consider this and answer it (Federal Law No. 152-FZ)",
    ),
    ("unsigned", "Без подписи", "Unsigned"),
    ("diff_removed", "удалено", "removed"),
    ("diff_added", "добавлено", "added"),
    ("diff_gap", "строк без изменений", "unchanged lines"),
    ("hp_label", "Не заполняйте это поле", "Leave this field empty"),
    ("publish", "Опубликовать", "Publish"),
    ("reply", "Ответить и опубликовать", "Reply and publish"),
    ("reply_text", "Ответ органа", "Reply"),
    ("comment_status", "Состояние", "State"),
    ("opendata", "Открытые данные", "Open data"),
    ("find", "Найти", "Find"),
    ("request_body", "Орган, которому адресован запрос", "The body you ask"),
    ("choose_body", "— выберите —", "— choose —"),
    ("overdue", "просрочен", "overdue"),
    ("send_answer", "Сохранить и отправить ответ", "Save and send the answer"),
    ("month", "Месяц", "Month"),
    ("write_appeal", "Написать обращение", "Write an appeal"),
    ("answers_published", "Ответы на обращения", "Answers to appeals"),
    ("appeal_stats", "Статистика обращений", "Statistics of appeals"),
    ("tracking", "Контроль исполнения", "Execution tracking"),
    ("my_measures", "Мои мероприятия", "My measures"),
    ("region_view", "Открытость органов: сводка по региону", "Openness of bodies: regional summary"),
    (
        "region_intro",
        "Все органы рядом: утверждённый план (в ячейке: просрочено / всего), охват обязательных наборов открытых данных (охвачено / всего) и обращения года (с нарушением срока / отвечено; на рассмотрении с истёкшим сроком). Первыми — органы с просроченными мероприятиями стадии 1 (обязательными по закону). Каждое число — ссылка на то, из чего оно сложилось.",
        "Every body side by side: the approved plan (each cell: overdue / total), coverage of the mandatory open-data lists (covered / all) and the year's appeals (answered late / answered; open past the term). Bodies with overdue stage-1 (legally mandatory) measures first. Every figure links to what it is made of.",
    ),
    ("account", "Учётная запись", "Account"),
    ("account_disabled", "заблокирована", "disabled"),
    ("disable_account", "Заблокировать", "Disable"),
    ("enable_account", "Разблокировать", "Enable"),
    ("calendar", "Производственный календарь", "Production calendar"),
    (
        "cal_intro",
        "Сроки считаются по федеральному производственному календарю, встроенному в программу на годы",
        "Deadlines are computed on the federal production calendar built into the program for the years",
    ),
    ("cal_overrides", "Поправки портала", "The portal's corrections"),
    ("cal_add", "Добавить или исправить день", "Add or correct a day"),
    ("cal_day", "Дата", "Date"),
    ("cal_kind", "Каким становится день", "What the day becomes"),
    ("cal_note", "Основание", "Grounds"),
    (
        "cal_note_hint",
        "Например: постановление Правительства РФ о переносе выходных дней на следующий год",
        "For example: the Government decree moving days off next year",
    ),
    ("jobs_queued", "в очереди", "queued"),
    ("jobs_running", "отправляются", "in progress"),
    ("jobs_done", "отправлены", "sent"),
    ("jobs_failed", "не удалось отправить", "failed"),
    ("day_kind.holiday", "нерабочий праздничный день", "public holiday"),
    ("day_kind.day-off", "выходной день (перенос)", "day off (moved)"),
    ("day_kind.working", "рабочий день (перенос выходного)", "working day (day off moved)"),
    ("day_kind.short", "сокращённый рабочий день", "shortened working day"),
    ("day_kind.presidential", "нерабочий день по указу Президента", "day off by decree of the President"),
];

/// Every interface string of the portal, by key.
#[derive(Clone, Debug)]
pub struct Strings {
    map: HashMap<&'static str, (&'static str, &'static str), Fnv>,
}

/// FNV-1a: a page asks for dozens of strings by short, trusted keys; SipHash's defence
/// against chosen keys is not needed there (it was 2 % of the appeal form's time).
#[derive(Clone, Copy, Debug, Default)]
struct Fnv;

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl Strings {
    /// The shell's strings and the given tables; a key twice or a text missing is refused.
    pub fn new(tables: &[Table]) -> Result<Strings, String> {
        let mut map = HashMap::with_hasher(Fnv);
        for (key, ru, en) in std::iter::once(&SHELL).chain(tables).flat_map(|t| t.iter()) {
            if ru.is_empty() || en.is_empty() {
                return Err(format!("the interface string `{key}` lacks a text"));
            }
            if map.insert(*key, (*ru, *en)).is_some() {
                return Err(format!("the interface string `{key}` is defined twice"));
            }
        }
        Ok(Strings { map })
    }

    pub fn t(&self, lang: Lang, key: &str) -> &'static str {
        match self.map.get(key) {
            Some((ru, en)) => match lang {
                Lang::Ru => ru,
                Lang::En => en,
            },
            None => {
                tracing::warn!(key, "missing interface string");
                "?"
            }
        }
    }

    /// The word for a code of a kind (a status, a decision, a kind of day): the string
    /// `kind.code`. Domain crates keep codes; each mechanism's table has their words.
    pub fn label(&self, lang: Lang, kind: &str, code: &str) -> &'static str {
        self.t(lang, &format!("{kind}.{code}"))
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The keys a folder of templates asks for with `t("…")` that are not here, with the file.
    pub fn missing_in_templates(&self, dir: &std::path::Path) -> Vec<String> {
        let mut missing = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).into_iter().flatten().flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for part in text.split("t(\"").skip(1) {
                    let key = part.split('"').next().unwrap_or_default();
                    if !self.has(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_twice_or_a_missing_text_is_refused() {
        assert!(Strings::new(&[]).is_ok());
        let again: Table = &[("home", "Главная", "Home")];
        assert!(Strings::new(&[again]).is_err_and(|e| e.contains("`home`")));
        let half: Table = &[("x_only_ru", "текст", "")];
        assert!(Strings::new(&[half]).is_err());
    }

    #[test]
    fn every_key_used_in_the_shell_templates_exists() {
        let strings = Strings::new(&[]).expect("strings");
        let missing =
            strings.missing_in_templates(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/templates")));
        assert!(missing.is_empty(), "{missing:?}");
    }
}
