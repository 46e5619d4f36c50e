//! Any text, parsed as a deadline phrase: it is read or refused with the verbatim text, never
//! a panic; whatever is read renders back as a phrase that reads as the same schedule, and
//! evaluates without panicking, with ordered due dates.
#![no_main]

use deadlines::{Calendar, Date, DayOffPolicy, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse(&text) {
        Ok(schedule) => {
            let again = parse(&schedule.ru());
            assert_eq!(again.as_ref().ok(), Some(&schedule), "«{}» reads back as {again:?}", schedule.ru());
            let _ = schedule.en();
            let cal = Calendar::federal();
            let after = Date::new(2018, 1, 1).unwrap_or(Date::MIN);
            let event = Date::new(2019, 5, 7).ok();
            if let Ok(due) = schedule.next_due(&cal, after, 5, event, DayOffPolicy::Preceding) {
                assert!(due.windows(2).all(|w| w[0].date.date <= w[1].date.date));
                assert!(due.iter().all(|d| d.date.date >= after));
            }
        }
        Err(e) => assert_eq!(e.text, text),
    }
});
