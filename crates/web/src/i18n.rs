//! Interface strings in Russian (the default) and English. Content (names of bodies,
//! documents) is shown as entered; only the interface is translated.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

/// (key, Russian, English). A test checks that keys are unique and both texts present.
const STRINGS: &[(&str, &str, &str)] = &[
    ("skip", "Перейти к содержанию", "Skip to content"),
    ("home", "Главная", "Home"),
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
    ("roadmap_preview", "Проверка плана перед сохранением", "Check the plan before saving"),
    ("openness", "Открытость", "Openness"),
    ("import_plan", "Загрузить план мероприятий", "Upload a plan of measures"),
    (
        "import_hint",
        "Загрузите план — документ Word (.docx), таблицу Excel (.xlsx) или текст (.txt, UTF-8): таблицу с номерами мероприятий, сроками и исполнителями. Перед сохранением вы увидите, как он прочитан, и сможете исправить ячейки.",
        "Upload the plan — a Word document (.docx), an Excel sheet (.xlsx) or text (.txt, UTF-8): a table with numbered measures, deadlines and executors. Before saving you will see how it was read and can correct cells.",
    ),
    ("plan_title", "Название плана", "Plan title"),
    ("plan_file", "Файл плана", "Plan file"),
    ("upload", "Загрузить и проверить", "Upload and check"),
    ("sections_count", "разделов:", "sections:"),
    ("measures_count", "мероприятий:", "measures:"),
    (
        "preview_hint",
        "Проверьте ячейки, исправьте, если нужно, и сохраните. Пока вы не нажали «Сохранить план», ничего не записано.",
        "Check the cells, correct them if needed and save. Nothing is stored until you press “Save the plan”.",
    ),
    ("unplaced_lines", "Строки, которые не удалось разместить", "Lines that could not be placed"),
    ("warning_lines", "Строки, прочитанные с исправлением — проверьте", "Lines read with a repair — please check"),
    ("line", "строка", "line"),
    ("measures", "Мероприятия", "Measures"),
    ("number", "№", "No."),
    ("section", "Раздел", "Section"),
    ("measure_text", "Мероприятие", "Measure"),
    ("stage", "Стадия", "Stage"),
    ("deadline", "Срок", "Deadline"),
    ("next_due", "Ближайший срок", "Next due"),
    ("executors", "Ответственные исполнители", "Executors"),
    ("expected_result", "Ожидаемый результат", "Expected result"),
    ("confirm_import", "Сохранить план", "Save the plan"),
    ("status", "Статус", "Status"),
    ("approving_act", "Утверждён актом", "Approving act"),
    ("change_status", "Изменить статус", "Change status"),
    ("approved_by", "утверждён", "approved by"),
    (
        "no_approved_plan",
        "Утверждённого плана мероприятий по открытости пока нет.",
        "There is no approved openness plan yet.",
    ),
    ("mark_execution", "Отметка об исполнении мероприятия", "Execution mark for measure"),
    ("mark_period", "За период", "For the period"),
    ("no_period", "без периода (постоянная обязанность)", "no period (a standing duty)"),
    ("mark_status", "Исполнение", "Execution"),
    ("mark_date", "Дата", "Date"),
    ("mark_evidence", "Подтверждение — ссылки, по одной в строке", "Evidence — links, one per line"),
    (
        "mark_evidence_hint",
        "Страница сайта, набор открытых данных или документ, который подтверждает исполнение",
        "A page, a dataset or a document that proves it",
    ),
    ("mark_comment", "Комментарий", "Comment"),
    ("mark_history", "История отметок", "History of marks"),
    ("execution", "Исполнение", "Execution"),
    ("mark", "Отметить", "Mark"),
    ("edit_measure", "Изменить мероприятие", "Edit the measure"),
    ("edit", "Изменить", "Edit"),
    ("no_section", "без раздела", "no section"),
    ("no_stage", "не указана", "not given"),
    ("change_reason", "Основание изменения", "Reason for the change"),
    (
        "change_reason_hint",
        "Для утверждённого плана обязательно: вид акта, дата и номер.",
        "Required for an approved plan: the act, its date and number.",
    ),
    ("deadline_hint", "Как в плане: «ежеквартально», «до 1 июля 2027 года», «постоянно».", "As in the plan."),
    ("measure_history", "История изменений", "History of changes"),
    ("no_changes", "Мероприятие не менялось после загрузки плана.", "Not changed since the plan was imported."),
    ("nothing_changed", "Изменений нет — сохранять нечего.", "Nothing changed."),
    ("field", "Поле", "Field"),
    ("field_before", "Было", "Before"),
    ("field_after", "Стало", "After"),
    ("evidence", "подтверждение", "evidence"),
    ("report", "Отчёт об исполнении", "Execution report"),
    ("reports", "Отчёты об исполнении", "Execution reports"),
    ("report_year", "Год", "Year"),
    ("report_quarter", "Квартал", "Quarter"),
    ("whole_year", "весь год", "whole year"),
    ("discussion", "Общественное обсуждение", "Public discussion"),
    ("discussions", "Проекты на общественном обсуждении", "Drafts under public discussion"),
    (
        "discussion_intro",
        "Проект плана вынесен на общественное обсуждение до его утверждения. Комментарий появится на этой странице после проверки модератором; ответ органа публикуется под ним.",
        "The draft plan is open for public comment before approval. A comment appears here once a moderator has checked it; the body's reply is published beneath it.",
    ),
    ("comments_until", "Комментарии принимаются по", "Comments are accepted until"),
    ("discussion_closed", "Обсуждение завершено: комментарии больше не принимаются.", "The discussion is closed."),
    (
        "comment_sent",
        "Спасибо! Комментарий получен и будет опубликован после проверки.",
        "Thank you! Your comment will be published once checked.",
    ),
    ("published_comments", "Комментарии", "Comments"),
    ("no_comments", "Опубликованных комментариев пока нет.", "No published comments yet."),
    ("leave_comment", "Оставить комментарий", "Leave a comment"),
    ("send_comment", "Отправить комментарий", "Send the comment"),
    ("whole_plan", "ко всему проекту", "the whole draft"),
    ("comment_on", "К чему комментарий", "Comment on"),
    ("comment_text", "Комментарий", "Comment"),
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
        "comment_consent",
        "Согласен на обработку моих персональных данных для рассмотрения комментария (Федеральный закон № 152-ФЗ)",
        "I consent to the processing of my personal data to consider this comment (Federal Law No. 152-FZ)",
    ),
    ("unsigned", "Без подписи", "Unsigned"),
    ("on_measure", "к мероприятию", "on measure"),
    ("body_reply", "Ответ органа", "The body's reply"),
    ("hp_label", "Не заполняйте это поле", "Leave this field empty"),
    ("comments", "Комментарии к проекту", "Comments on the draft"),
    ("comments_pending", "ждут проверки", "awaiting moderation"),
    ("comments_csv", "Все комментарии (CSV)", "All comments (CSV)"),
    ("publish", "Опубликовать", "Publish"),
    ("reject", "Отклонить", "Reject"),
    ("reject_reason", "Причина отклонения", "Reason for rejection"),
    ("reply", "Ответить и опубликовать", "Reply and publish"),
    ("reply_text", "Ответ органа", "Reply"),
    ("comment_status", "Состояние", "State"),
    ("discussion_until", "Комментарии принимаются по (для обсуждения)", "Comments accepted until (for discussion)"),
    ("public_page", "Страница на сайте", "Public page"),
    ("show_report", "Показать отчёт", "Show the report"),
    ("download_docx", "Скачать отчёт (.docx)", "Download the report (.docx)"),
    ("as_of", "По состоянию на", "As of"),
    ("by_section", "Исполнение по разделам", "Execution by section"),
    ("by_stage", "Исполнение по стадиям", "Execution by stage"),
    ("st_done", "исполнено", "done"),
    ("st_overdue", "просрочено", "overdue"),
    ("st_pending", "в работе", "pending"),
    ("evidence_h", "Подтверждение", "Evidence"),
    ("comment_h", "Комментарий", "Comment"),
    ("tracking", "Контроль исполнения", "Execution tracking"),
    ("only_overdue", "только просроченные", "overdue only"),
    ("overdue_flag", "просрочено", "overdue"),
    ("last_due", "Прошедший срок", "Last due"),
    ("latest_mark", "Последняя отметка", "Latest mark"),
    ("of_total", "из", "of"),
    ("my_measures", "Мои мероприятия", "My measures"),
    (
        "my_measures_none",
        "В утверждённых планах нет мероприятий, где вы указаны исполнителем.",
        "No measure of an approved plan names you as an executor.",
    ),
    (
        "my_measures_no_name",
        "Чтобы видеть свои мероприятия, в вашей учётной записи должно быть указано имя так, как оно написано в планах (например, «Аносова И.А.»).",
        "To see your measures, your account needs your name as the plans write it.",
    ),
    ("region_view", "Открытость органов: сводка по региону", "Openness of bodies: regional summary"),
    (
        "region_intro",
        "Утверждённые планы всех органов; первыми — органы с просроченными мероприятиями стадии 1 (обязательными по закону). В ячейке: просрочено / всего.",
        "Approved plans of every body; bodies with overdue stage-1 (legally mandatory) measures first. Each cell: overdue / total.",
    ),
    ("stage_n", "Стадия", "Stage"),
    ("total_overdue", "Всего просрочено", "Overdue in all"),
    ("done_count", "Исполнено", "Done"),
    ("without_plan", "Нет утверждённого плана", "No approved plan"),
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
];

pub fn t(lang: Lang, key: &str) -> &'static str {
    match STRINGS.iter().find(|(k, _, _)| *k == key) {
        Some((_, ru, en)) => match lang {
            Lang::Ru => ru,
            Lang::En => en,
        },
        None => {
            tracing::warn!(key, "missing interface string");
            "?"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_translated() {
        let mut seen = std::collections::HashSet::new();
        for (k, ru, en) in STRINGS {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!ru.is_empty() && !en.is_empty(), "{k} lacks a text");
        }
    }

    #[test]
    fn every_key_used_in_templates_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut stack = vec![std::path::PathBuf::from(dir)];
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
                    assert!(STRINGS.iter().any(|(k, _, _)| *k == key), "{}: unknown key {key}", path.display());
                }
            }
        }
    }
}
