//! The interface strings of every discussion's comments, forms and moderation.

use shell::i18n::Table;

pub const STRINGS: Table = &[
    ("published_comments", "Комментарии", "Comments"),
    ("no_comments", "Опубликованных комментариев пока нет.", "No published comments yet."),
    ("leave_comment", "Оставить комментарий", "Leave a comment"),
    ("send_comment", "Отправить комментарий", "Send the comment"),
    ("comment_on", "К чему комментарий", "Comment on"),
    ("comment_text", "Комментарий", "Comment"),
    (
        "comment_consent",
        "Согласен на обработку моих персональных данных для рассмотрения комментария (Федеральный закон № 152-ФЗ)",
        "I consent to the processing of my personal data to consider this comment (Federal Law No. 152-FZ)",
    ),
    ("body_reply", "Ответ органа", "The body's reply"),
    ("body_position", "Позиция органа", "The body's position"),
    ("comments_csv", "Все комментарии (CSV)", "All comments (CSV)"),
    ("reject", "Отклонить", "Reject"),
    ("reject_reason", "Причина отклонения", "Reason for rejection"),
    ("comment_status.unconfirmed", "не подтверждён автором", "not confirmed by its author"),
    ("comment_status.pending", "ждёт проверки", "awaiting moderation"),
    ("comment_status.published", "опубликован", "published"),
    ("comment_status.rejected", "отклонён", "rejected"),
    ("position.accepted", "учтено", "accepted"),
    ("position.partly", "учтено частично", "partly accepted"),
    ("position.rejected", "отклонено", "not accepted"),
    ("set_position", "Сохранить позицию и опубликовать", "Save the position and publish"),
    ("position_reason", "Обоснование позиции", "Reason for the position"),
    (
        "position_reason_hint",
        "обязательно, если предложение учтено частично или отклонено",
        "required unless the proposal is accepted",
    ),
    (
        "comment_sent",
        "Спасибо! Комментарий получен и будет опубликован после проверки.",
        "Thank you! Your comment will be published once checked.",
    ),
    (
        "comment_confirm_sent",
        "Спасибо! Комментарий сохранён. Мы отправили письмо со ссылкой: перейдите по ней, чтобы подтвердить адрес, — после этого комментарий передадут модератору.",
        "Thank you! The comment is saved. We have sent you a letter with a link: follow it to confirm your address, and the comment goes to moderation.",
    ),
    (
        "comment_confirmed",
        "Адрес подтверждён: комментарий передан модератору и будет опубликован после проверки.",
        "Address confirmed: the comment goes to moderation and will be published once checked.",
    ),
    (
        "comment_confirm_failed",
        "Ссылка не подошла: возможно, она скопирована не полностью. Откройте её из письма ещё раз.",
        "The link did not match: it may have been copied in part. Open it from the letter again.",
    ),
    ("discussion_closed", "Обсуждение завершено: комментарии больше не принимаются.", "The discussion is closed."),
    ("comments_until", "Комментарии принимаются по", "Comments are accepted until"),
];
