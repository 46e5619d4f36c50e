//! Interface strings in Russian (the default) and English. Content (names of bodies,
//! documents) is shown as entered; only the interface is translated. The shell has its table
//! (the frame, errors, sign-in, administration and what several mechanisms share); each
//! mechanism brings its own, and `Strings` holds them all, checked once at start-up.

use std::collections::HashMap;

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

/// A table of interface strings: (key, Russian, English).
pub type Table = &'static [(&'static str, &'static str, &'static str)];

/// The shell's own strings.
pub const SHELL: Table = &[
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
    ("submit_appeal", "Обращение в орган власти", "Write to a public body"),
    (
        "appeal_intro",
        "Обращение гражданина (59-ФЗ) или запрос информации о деятельности органа (8-ФЗ). Регистрационный номер появится сразу, как только обращение будет сохранено; ссылку для отслеживания мы покажем и пришлём на почту.",
        "An appeal (59-FZ) or a request for information (8-FZ). The registration number appears as soon as it is stored.",
    ),
    ("answer_terms", "Сроки ответа по закону", "Legal answer terms"),
    ("submission_kind", "Вид обращения", "Kind"),
    ("submission_topic", "Тема", "Topic"),
    ("submission_text", "Текст обращения", "Text"),
    ("submission_text_hint", "до 20 000 символов; длинный текст приложите файлом", "up to 20,000 characters"),
    ("submission_files", "Файлы", "Files"),
    (
        "submission_files_hint",
        "до 5 файлов, каждый до 5 МБ, вместе до 10 МБ: PDF, JPG, PNG, DOC, DOCX, ODT, RTF, TXT",
        "up to 5 files, 5 MB each, 10 MB in all",
    ),
    ("submission_author", "Фамилия, имя, отчество (при наличии)", "Full name"),
    ("answer_by", "Как получить ответ", "How to receive the answer"),
    ("answer_by_email", "по электронной почте", "by e-mail"),
    ("answer_by_post", "по почте", "by post"),
    (
        "opendata_request_instead",
        "Чтобы попросить опубликовать новый набор открытых данных, воспользуйтесь формой раздела «Открытые данные»:",
        "To ask for a new open dataset, use the form of the open-data section:",
    ),
    ("opendata_request_link", "запрос нового набора данных", "request a new dataset"),
    (
        "answer_by_none",
        "не направляется: сообщение без подписи и адреса (59-ФЗ, ст. 11 ч. 1)",
        "not sent: the report is unsigned and gives no address (59-FZ art. 11 p. 1)",
    ),
    (
        "submission_kind_hint",
        "Сообщение о коррупции можно отправить без подписи и адреса: ответ на него не направляется (59-ФЗ, ст. 11 ч. 1), но сообщённое рассматривается, а ход рассмотрения виден по ссылке, которую вы получите после отправки.",
        "A report of corruption may be sent unsigned and without an address: no answer is sent (59-FZ art. 11 p. 1), but what it reports is considered, and the link you get after sending shows how it goes.",
    ),
    (
        "submission_email_hint",
        "на него придут номер, ссылка для отслеживания и ответ; не публикуется",
        "never published",
    ),
    ("postal_address", "Почтовый адрес", "Postal address"),
    ("postal_address_hint", "нужен, если ответ — по почте; не публикуется", "needed for an answer by post"),
    ("send_appeal", "Отправить обращение", "Send"),
    ("submission_word", "Обращение", "Submission"),
    ("appeal_registered", "Обращение сохранено и зарегистрировано.", "Stored and registered."),
    (
        "track_keep_link",
        "Сохраните адрес этой страницы: по нему можно следить за рассмотрением. Ссылка личная — не пересылайте её.",
        "Keep this page's address to follow the consideration. It is personal.",
    ),
    (
        "track_email_sent",
        "Номер и ссылка отправлены на вашу почту.",
        "The number and the link were sent to your e-mail.",
    ),
    ("registered_on", "Дата регистрации", "Registered on"),
    ("due_by_law", "Ответ не позднее", "Answer due by"),
    ("how_computed", "Как вычислен срок", "How the date was computed"),
    ("history", "Ход рассмотрения", "History"),
    ("appeals", "Обращения и запросы", "Appeals and requests"),
    ("no_submissions", "Обращений пока нет.", "No submissions yet."),
    ("applicant", "Заявитель", "Applicant"),
    ("identified_by", "Как установлен заявитель", "How identified"),
    ("write_appeal", "Написать обращение", "Write an appeal"),
    ("the_answer", "Ответ", "The answer"),
    ("answers_to_publish", "Ответы к публикации", "Answers to publish"),
    (
        "answers_to_publish_intro",
        "Вопрос и ответ публикуются после проверки (п. 37 «б»: в течение 10 рабочих дней). Персональные данные заменены автоматически — проверьте текст, исправьте пропущенное и опубликуйте, или объясните, почему ответ не публикуется.",
        "Review the automatically redacted question and answer, then publish or withhold them.",
    ),
    ("nothing_to_publish", "Ответов к публикации нет.", "Nothing to publish."),
    ("publish_by", "опубликовать до", "publish by"),
    ("published_question", "Вопрос (как будет опубликован)", "Question as published"),
    ("published_answer", "Ответ (как будет опубликован)", "Answer as published"),
    ("withhold_reason", "Причина, если ответ не публикуется", "Why it is withheld"),
    ("publish_answer", "Опубликовать", "Publish"),
    ("withhold_answer", "Не публиковать", "Withhold"),
    ("answers_published", "Ответы на обращения", "Answers to appeals"),
    ("no_answers_published", "Опубликованных ответов пока нет.", "No answers published yet."),
    ("confirm_email", "Подтверждение адреса электронной почты", "Confirming the e-mail address"),
    (
        "confirm_email_ask",
        "Нажмите кнопку, чтобы подтвердить, что это ваш адрес.",
        "Press the button to confirm this is your address.",
    ),
    ("confirm_email_button", "Подтвердить адрес", "Confirm the address"),
    ("email_confirmed_now", "Спасибо, адрес подтверждён.", "Thank you, the address is confirmed."),
    ("email_confirmed_before", "Адрес уже подтверждён.", "The address was confirmed already."),
    ("outlet", "Средство массовой информации", "Media outlet"),
    ("outlet_domain", "Домен адреса редакции", "Editorial e-mail domain"),
    ("outlet_hint", "только для запроса СМИ: запрос принимается с адреса в домене редакции", "media requests only"),
    ("respondent", "О ком жалоба", "Complaint about"),
    (
        "respondent_hint",
        "только для жалобы: фамилия и инициалы или должность сотрудника, на действия которого вы жалуетесь",
        "complaints only: the name or position of the staff member",
    ),
    ("give_answer", "Ответить", "Answer"),
    ("questions", "Вопросы и классификация", "Questions and classification"),
    (
        "questions_intro",
        "Выделите вопросы обращения и отнесите каждый к коду типового общероссийского тематического классификатора; результат по каждому вопросу попадает в ежемесячную выгрузку по Указу № 171. Вопросы без своего результата получат результат ответа.",
        "Split the submission into questions and give each a code of the national thematic classifier; each question's result goes to the monthly Decree 171 export. Questions without a result of their own take the answer's.",
    ),
    ("no_questions", "Вопросы ещё не выделены.", "No questions yet."),
    ("question_summary", "Вопрос (кратко)", "Question (in short)"),
    ("topic_code", "Код по классификатору", "Classifier code"),
    ("add_question", "Добавить вопрос", "Add the question"),
    ("set_result", "Сохранить результат", "Save the result"),
    ("question_result", "Результат по вопросу", "Result of the question"),
    ("forward_title", "Направить по компетенции", "Forward to the competent body"),
    ("assignee", "Исполнитель", "Assignee"),
    ("nobody_assigned", "не назначен (все сотрудники органа)", "nobody (every officer of the body)"),
    ("assign", "Назначить", "Assign"),
    ("media_notice_title", "Отказ или отсрочка по запросу редакции", "Refusal or deferral of a media request"),
    ("media_notice_until", "Уведомить редакцию не позднее", "Notify the editorial office by"),
    ("defer_title", "Отсрочить предоставление информации", "Defer the information"),
    ("defer_until", "Дата, к которой информация будет предоставлена", "Date by which the information will be given"),
    (
        "defer_reason",
        "Причины, по которым информацию нельзя предоставить в семидневный срок",
        "Why the information cannot be given within seven days",
    ),
    ("defer_button", "Отсрочить и уведомить редакцию", "Defer and notify the editorial office"),
    ("refuse_title", "Отказать в предоставлении информации", "Refuse the information"),
    ("refuse_ground", "Информация содержит", "The information holds"),
    ("refuse_why", "Почему информацию нельзя отделить от тайны", "Why it cannot be separated from the secret"),
    ("refuse_button", "Отказать и уведомить редакцию", "Refuse and notify the editorial office"),
    ("appeal_stats", "Статистика обращений", "Statistics of appeals"),
    ("answers_search", "Поиск по вопросам и ответам", "Search questions and answers"),
    ("faq", "Часто задаваемые вопросы", "Frequently asked questions"),
    ("topical", "Актуальные темы обращений за 90 дней", "Topical themes of the last 90 days"),
    ("answers_list", "Вопросы и ответы", "Questions and answers"),
    ("found", "Найдено", "Found"),
    ("show_all", "Показать все", "Show all"),
    (
        "appeal_stats_intro",
        "Обращения и запросы, зарегистрированные за квартал или год, и что с ними стало. Статистика публикуется, когда период завершился; в ней нет персональных данных.",
        "Appeals and requests registered in a quarter or a year, and what became of them. Published once the period has ended; no personal data.",
    ),
    (
        "no_ended_period",
        "Ни один квартал ещё не завершился: статистики пока нет.",
        "No quarter has ended yet: no statistics so far.",
    ),
    ("periods", "Периоды", "Periods"),
    ("st_by_kind", "По видам обращений", "By kind"),
    ("st_received", "Поступило", "Received"),
    ("st_on_time", "Отвечено в срок", "Answered on time"),
    ("st_late", "С нарушением срока", "Answered late"),
    ("st_forwarded", "Направлено по компетенции", "Forwarded"),
    ("st_left", "Без ответа (ст. 11)", "Without answer (art. 11)"),
    ("st_refused", "Отказано (запросы СМИ)", "Refused (media requests)"),
    ("letters_title", "Письма заявителю по почте", "Letters to the applicant by post"),
    (
        "letters_intro",
        "Заявитель просил ответ по почте; каждое уведомление — письмо по адресу:",
        "The applicant asked for the answer by post; each notice is a letter to:",
    ),
    ("letter_state", "Письмо", "Letter"),
    ("letter_decided", "Решение принято", "Decided"),
    ("letter_record", "Отметить", "Record"),
    ("letter_not_sent", "не отправлено", "not posted"),
    ("letter_sent", "отправлено", "posted"),
    ("letter_delivered", "вручено", "delivered"),
    ("letter_sent_on", "Дата отправки", "Posted on"),
    ("letter_tracking", "Почтовый идентификатор (ШПИ)", "Postal tracking number"),
    ("letter_mark_sent", "Отметить отправку", "Record posting"),
    ("letter_delivered_on", "Дата вручения", "Delivered on"),
    ("letter_mark_delivered", "Отметить вручение", "Record delivery"),
    ("breaches_title", "Нарушения сроков ответа", "Answers past their term"),
    ("breaches_intro", "Обращения и запросы, зарегистрированные за период:", "Submissions registered in"),
    ("breaches_late", "Отвечено с нарушением срока", "Answered late"),
    ("breaches_overdue", "На рассмотрении, срок истёк", "Open past the term"),
    ("breaches_none", "Нет.", "None."),
    ("answered_on", "Дата ответа", "Answered on"),
    ("days_late", "Дней просрочки", "Days late"),
    ("st_open", "На рассмотрении", "Open"),
    ("st_open_overdue", "Из них просрочено", "Of them overdue"),
    ("st_total", "Всего", "Total"),
    ("st_complaints", "Жалобы", "Complaints"),
    ("st_satisfied", "удовлетворены", "satisfied"),
    ("st_not_satisfied", "не удовлетворены", "not satisfied"),
    ("st_themes", "По тематикам классификатора", "By theme of the classifier"),
    (
        "st_no_themes",
        "Вопросы обращений этого периода не классифицированы.",
        "No question of this period was classified.",
    ),
    ("st_theme", "Тематика", "Theme"),
    ("st_questions", "Вопросов", "Questions"),
    ("st_csv", "Скачать статистику (CSV)", "Download the statistics (CSV)"),
    ("forward_until", "Срок направления", "Forward by"),
    ("forward_to", "Орган портала", "A body of this portal"),
    ("forward_outside", "Или другой орган (название)", "Or another body (its name)"),
    ("forward_letter", "Сопроводительное письмо (копия — заявителю)", "Covering letter (a copy goes to the applicant)"),
    ("forward_button", "Направить по компетенции", "Forward"),
    ("no_answer_title", "Оставить без ответа по существу (59-ФЗ, ст. 11)", "Leave without an answer (59-FZ art. 11)"),
    ("no_answer_ground", "Основание", "Ground"),
    ("no_answer_comment", "Пояснение заявителю (необязательно)", "A note to the applicant (optional)"),
    ("no_answer_button", "Оставить без ответа и уведомить", "Leave without an answer and notify"),
    ("notices", "Уведомления заявителю", "Notices to the applicant"),
    (
        "no_notices",
        "Уведомлений по электронной почте нет (ответ по почте или без адреса).",
        "No e-mail notices (answer by post or no address).",
    ),
    ("notice_what", "Что", "What"),
    ("notice_to", "Кому", "To"),
    ("notice_queued", "Поставлено в очередь", "Queued"),
    ("notice_delivery", "Доставка", "Delivery"),
    ("remove_question", "Удалить вопрос", "Remove the question"),
    (
        "results_export",
        "Результаты по вопросам за месяц (Указ № 171), CSV",
        "Results per question for a month (Decree 171), CSV",
    ),
    ("download", "Скачать", "Download"),
    ("consideration_result", "Результат рассмотрения", "Result"),
    ("answer_text", "Текст ответа", "Answer text"),
    ("extend_term", "Продлить срок", "Extend the term"),
    ("extend_to", "Новый срок", "New term"),
    ("extend_reason", "Причина продления (её получит заявитель)", "Reason (the applicant receives it)"),
    ("tracking", "Контроль исполнения", "Execution tracking"),
    ("my_measures", "Мои мероприятия", "My measures"),
    ("region_view", "Открытость органов: сводка по региону", "Openness of bodies: regional summary"),
    (
        "region_intro",
        "Все органы рядом: утверждённый план (в ячейке: просрочено / всего), охват обязательных наборов открытых данных (охвачено / всего) и обращения года (с нарушением срока / отвечено; на рассмотрении с истёкшим сроком). Первыми — органы с просроченными мероприятиями стадии 1 (обязательными по закону). Каждое число — ссылка на то, из чего оно сложилось.",
        "Every body side by side: the approved plan (each cell: overdue / total), coverage of the mandatory open-data lists (covered / all) and the year's appeals (answered late / answered; open past the term). Bodies with overdue stage-1 (legally mandatory) measures first. Every figure links to what it is made of.",
    ),
    ("region_appeals", "Обращения и запросы,", "Appeals and requests,"),
    ("region_late", "С нарушением срока / отвечено", "Late / answered"),
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

/// Every interface string of the portal, by key.
#[derive(Clone, Debug)]
pub struct Strings {
    map: HashMap<&'static str, (&'static str, &'static str)>,
}

impl Strings {
    /// The shell's strings and the given tables; a key twice or a text missing is refused.
    pub fn new(tables: &[Table]) -> Result<Strings, String> {
        let mut map = HashMap::new();
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
