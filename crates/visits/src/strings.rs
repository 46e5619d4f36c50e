//! The interface strings of the statistics pages (Russian, English).

use shell::i18n::Table;

pub const STRINGS: Table = &[
    ("service_visits", "Статистика посещений", "Visit statistics"),
    (
        "service_visits_hint",
        "Сколько раз открывали страницы портала: по месяцам, разделам и органам.",
        "How often the portal's pages were opened: by month, section and body.",
    ),
    ("desk_visits", "Статистика посещений", "Visit statistics"),
    (
        "visits_intro",
        "Портал считает просмотры своих страниц сам, без сторонних счётчиков: без cookie, не сохраняя ни адресов, ни сведений о браузере посетителя. Просмотры роботов (поисковых систем, программ проверки) считаются отдельно.",
        "The portal counts views of its pages itself, without third-party counters: no cookie, no address or browser details of a visitor kept. Views by robots (search engines, checking programs) are counted apart.",
    ),
    ("visits_last_30", "За последние 30 дней", "In the last 30 days"),
    ("visits_views", "Просмотры", "Views"),
    ("visits_entries", "Посещения", "Visits"),
    ("visits_depth", "Глубина просмотра", "Pages per visit"),
    (
        "visits_depth_hint",
        "Страниц за посещение в среднем. Посещение начинается с перехода на портал с другого сайта или без ссылки.",
        "Pages per visit on average. A visit begins with coming to the portal from another site or without a link.",
    ),
    ("visits_robots", "Просмотры роботов", "Views by robots"),
    ("visits_by_day", "Просмотры по дням", "Views by day"),
    ("visits_by_month", "Просмотры по месяцам", "Views by month"),
    ("visits_period", "Период", "Period"),
    ("visits_sections", "Разделы", "Sections"),
    ("visits_section", "Раздел", "Section"),
    ("visits_pages", "Популярные страницы", "Popular pages"),
    ("visits_page", "Страница", "Page"),
    ("visits_referrers", "Откуда пришли", "Where visitors came from"),
    ("visits_site", "Сайт", "Site"),
    ("visits_bodies", "По органам", "By body"),
    ("visits_body", "Орган", "Body"),
    ("visits_none", "Просмотров пока нет.", "No views yet."),
    ("visits_portal_home", "Главная страница портала", "The portal's home page"),
    ("visits_body_home", "Главная страница органа", "The body's home page"),
    ("visits_csv", "Просмотры по дням за год (CSV)", "Views by day over a year (CSV)"),
    ("visits_public", "Открытая сводка", "Public summary"),
];
