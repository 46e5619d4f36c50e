//! When in its period a recurring rule falls due: «до 1 февраля следующего за отчетным года»,
//! «в течение 10 рабочих дней после окончания квартала», a day of a month, the year after.

use super::*;

impl<'a> P<'a> {
    pub(super) fn due_rule(&mut self, every: Frequency) -> Option<DueRule> {
        // The renderer's forms.
        if let Some(r) = self.try_(|p| {
            p.eat_all(&["до", "конца", "каждого", "периода"]).then_some(())?;
            p.unit_in_brackets(every)?;
            Some(DueRule::EndOfPeriod)
        }) {
            return Some(r);
        }
        // "в течение [первых] 10 рабочих дней месяца (года), следующего за отчетным"
        if let Some(r) = self.try_(|p| {
            p.eat_all(&["в", "течение"]).then_some(())?;
            p.eat("первых");
            let n = p.number_word()?;
            p.eat_all(&["рабочих", "дней"]).then_some(())?;
            p.eat_any(&["месяца", "года"])?;
            p.punct(',');
            p.eat("следующего").then_some(())?;
            p.eat("за").then_some(())?;
            p.after_reporting()?;
            (1..=23).contains(&n).then_some(DueRule::NextMonthWorking { day: n as i8 })
        }) {
            return Some(r);
        }
        let by = self.by();
        // "не позднее чем за 20 дней до истечения текущего квартала", "за месяц до окончания
        // текущего года"
        if let Some(r) = self.try_(|p| {
            if by {
                p.eat("чем").then_some(())?;
            }
            p.eat("за").then_some(())?;
            let n = p.number_word();
            if p.eat_any(&["месяц", "месяца", "месяцев"]).is_some() {
                let months = n.unwrap_or(1);
                p.eat("до").then_some(())?;
                p.eat_any(&["истечения", "окончания"])?;
                p.eat_any(&["текущего", "отчетного", "каждого"]);
                if p.eat("периода") {
                    p.unit_in_brackets(every)?;
                } else {
                    p.period_unit()?;
                }
                return (1..=11).contains(&months).then_some(DueRule::MonthsBeforePeriodEnd { months });
            }
            let days = n?;
            p.eat("календарных");
            p.eat_any(&["дней", "дня", "день"])?;
            p.eat("до").then_some(())?;
            // "до начала очередного квартала": before the period the duty is for begins.
            let start = p.eat("начала");
            if !start {
                p.eat_any(&["истечения", "окончания"])?;
            }
            p.eat_any(&["текущего", "отчетного", "каждого", "очередного", "следующего", "планируемого"]);
            if p.eat("периода") {
                p.unit_in_brackets(every)?;
            } else {
                p.period_unit()?;
            }
            (1..=366).contains(&days).then_some(if start {
                DueRule::BeforePeriodStart { days: days as i16 }
            } else {
                DueRule::BeforePeriodEnd { days: days as i16 }
            })
        }) {
            return Some(r);
        }
        if !by {
            return None;
        }
        // "не позднее 12.00 часов среды текущей недели": a day of the week, its hour kept as words.
        if let Some(r) = self.try_(|p| {
            let time = p.try_(|p| {
                let start = p.pos;
                match p.peek() {
                    Some(Tok::Time(_) | Tok::Num(0..=23)) => p.bump(),
                    _ => return None,
                }
                p.eat_any(&["часов", "час", "часа"])?;
                Some(join(&p.t[start..p.pos]))
            });
            let Some(Tok::Word(w)) = p.peek() else { return None };
            let day = crate::schedule::WEEKDAYS_GEN.iter().position(|d| *d == w)? as i8 + 1;
            p.bump();
            p.eat_any(&["текущей", "каждой"]);
            p.eat("недели").then_some(())?;
            p.time_said = time;
            Some(DueRule::Weekday { day })
        }) {
            return Some(r);
        }
        // "до конца квартала"
        if let Some(r) = self.try_(|p| {
            p.eat("конца").then_some(())?;
            p.eat_any(&["отчетного", "каждого"]);
            (p.period_unit().is_some() || p.eat("периода")).then_some(DueRule::EndOfPeriod)
        }) {
            return Some(r);
        }
        // "не позднее пятого числа месяца": the day as an ordinal word.
        let n = self.num().or_else(|| self.ordinal_day());
        match n {
            Some(day) => self.due_after_number(day, every),
            None => {
                // "14.05 года, следующего за отчетным", "01.02"
                if let Some(Tok::Date { day, month, year: None, .. }) = self.peek() {
                    self.bump();
                    return self.day_month_rule(day, month);
                }
                None
            }
        }
    }

    pub(super) fn unit_in_brackets(&mut self, every: Frequency) -> Option<()> {
        if !self.punct('(') {
            return Some(());
        }
        let u = self.period_unit()?;
        (u == every && self.punct(')')).then_some(())
    }

    pub(super) fn due_after_number(&mut self, n: u32, every: Frequency) -> Option<DueRule> {
        // N числа …
        if self.eat("числа") {
            let day = self.day_of_month(n)?;
            return self
                .try_(|p| {
                    // "20 числа текущего месяца": the period's own month, for a monthly duty.
                    if p.eat_all(&["текущего", "месяца"]) {
                        return Some(DueRule::LastMonth { day });
                    }
                    p.eat("последнего").then_some(())?;
                    p.eat("месяца").then_some(())?;
                    // "последнего месяца квартала", or "последнего месяца" of the named periodicity.
                    if p.period_unit().is_none() && !(p.at_end() || p.clause_ends()) {
                        return None;
                    }
                    Some(DueRule::LastMonth { day })
                })
                .or_else(|| {
                    self.try_(|p| {
                        // "месяца, следующего за отчетным [X]", "следующего месяца [, за отчетным]",
                        // "месяца, следующего за отчётным периодом (квартал)"
                        if p.eat("следующего") {
                            p.eat("месяца").then_some(())?;
                            let save = p.pos;
                            p.punct(',');
                            if !(p.eat("за") && p.eat("отчетным")) {
                                p.pos = save;
                            }
                        } else {
                            p.eat("месяца").then_some(())?;
                            p.punct(',');
                            p.eat_any(&["следующего", "следующим"])?;
                            p.eat("за").then_some(())?;
                            p.after_reporting()?;
                            p.unit_in_brackets(every)?;
                        }
                        Some(DueRule::NextMonth { day })
                    })
                })
                .or_else(|| {
                    // "1 числа третьего месяца квартала, следующего за отчетным кварталом"
                    self.try_(|p| {
                        p.eat_all(&["третьего", "месяца"]).then_some(())?;
                        p.eat("квартала");
                        p.punct(',');
                        p.eat("следующего").then_some(())?;
                        p.eat("за").then_some(())?;
                        p.after_reporting()?;
                        p.unit_in_brackets(every)?;
                        Some(DueRule::ThirdMonth { day })
                    })
                })
                .or_else(|| {
                    // "15 числа второго месяца, следующего за отчетным кварталом"
                    self.try_(|p| {
                        p.eat_all(&["второго", "месяца"]).then_some(())?;
                        p.punct(',');
                        p.eat("следующего").then_some(())?;
                        p.eat("за").then_some(())?;
                        p.after_reporting()?;
                        p.unit_in_brackets(every)?;
                        Some(DueRule::SecondMonth { day })
                    })
                })
                .or_else(|| {
                    self.try_(|p| {
                        p.eat_all(&["последнего", "месяца", "периода"]).then_some(())?;
                        p.unit_in_brackets(every)?;
                        Some(DueRule::LastMonth { day })
                    })
                });
        }
        // N-го рабочего дня месяца, следующего за отчетным
        if self.eat_all(&["рабочего", "дня"]) {
            if n == 0 || n > 23 {
                self.note(format!("{n}-го рабочего дня в месяце нет"));
                return None;
            }
            self.eat("месяца").then_some(())?;
            self.punct(',');
            self.eat("следующего").then_some(())?;
            self.eat("за").then_some(())?;
            self.after_reporting()?;
            self.unit_in_brackets(every)?;
            return Some(DueRule::NextMonthWorking { day: n as i8 });
        }
        // N [календарных|рабочих] дней после (даты) окончания отчетного X
        if let Some(term) = self.try_(|p| {
            let unit = p.day_unit()?;
            p.eat_any(&["дней", "дня", "день"])?;
            p.punct(',');
            let ok = p.eat_all(&["после", "даты", "окончания"])
                || p.eat_all(&["после", "окончания"])
                || p.eat_all(&["со", "дня", "окончания"])
                || p.eat_all(&["с", "даты", "окончания"])
                || p.eat_all(&["с", "окончания"])
                || p.eat_all(&["по", "окончании"]);
            ok.then_some(())?;
            p.eat_any(&["отчетного", "каждого"]);
            (p.period_unit().is_some() || p.eat("периода")).then_some(())?;
            Some(Term { amount: n, unit, on_day_off: DayOffPolicy::Preceding, counts_start_day: false })
        }) {
            return Some(DueRule::AfterPeriodEnd { term });
        }
        // N <month> [года, следующего за отчетным] | N <month> — за предыдущий год
        let month = self.month_gen()?;
        self.day_month_rule(n, month as u32)
    }

    pub(super) fn day_unit(&mut self) -> Option<Unit> {
        match self.eat_any(&["календарных", "календарного", "рабочих", "рабочего"])
        {
            Some(w) if w.starts_with("рабоч") => Some(Unit::WorkingDays),
            _ => Some(Unit::CalendarDays),
        }
    }

    pub(super) fn day_of_month(&mut self, n: u32) -> Option<i8> {
        if !(1..=31).contains(&n) {
            self.note(format!("дня {n} в месяце нет"));
            return None;
        }
        Some(n as i8)
    }

    pub(super) fn day_month_rule(&mut self, day: u32, month: u32) -> Option<DueRule> {
        if !(1..=12).contains(&month) {
            self.note(format!("месяца {month} нет"));
            return None;
        }
        let (day, month) = (day as i8, month as i8);
        if let Err(e) = valid_day(day, month) {
            self.note(e);
            return None;
        }
        if self.next_year_tail() {
            return Some(DueRule::NextYear { day, month });
        }
        // "до 1 ноября текущего года": said to be within the year, so a yearly rule.
        if self.eat_all(&["текущего", "года"])
            || self.eat_all(&["текущего", "финансового", "года"])
            || self.eat_all(&["отчетного", "года"])
            // "не позднее 15 ноября предшествующему очередному финансовому году": the current year.
            || self.eat_all(&["предшествующему", "очередному", "финансовому", "году"])
            || self.eat_all(&["предшествующего", "очередному", "финансовому", "году"])
        {
            self.same_year_said = true;
        }
        Some(DueRule::SameYear { day, month })
    }

    /// "года, следующего за отчетным [годом]", "следующего за отчетным года", "следующего за
    /// отчетным годом года", "— за предыдущий год", "следующего года".
    pub(super) fn next_year_tail(&mut self) -> bool {
        let r = self.try_(|p| {
            if p.eat_all(&["очередного", "финансового", "года"]) {
                return Some(());
            }
            if p.punct('-') {
                return p.eat_all(&["за", "предыдущий", "год"]).then_some(());
            }
            p.eat("финансового");
            if p.eat("года") {
                p.punct(',');
                p.eat_any(&["следующего", "следующим"])?;
                p.eat("за").then_some(())?;
                if !p.eat("отчетным") {
                    return (p.event_anchor()? == Frequency::Yearly).then_some(());
                }
                p.eat("финансовым");
                p.eat_any(&["годом", "периодом"]);
                return Some(());
            }
            if p.eat("следующего") {
                if p.eat("года") {
                    return Some(());
                }
                p.eat("за").then_some(())?;
                p.eat("отчетным").then_some(())?;
                p.eat("годом");
                return p.eat("года").then_some(());
            }
            None
        });
        r.is_some()
    }

    pub(super) fn month_gen(&mut self) -> Option<i8> {
        if let Some(Tok::Word(w)) = self.peek()
            && let Some(i) = MONTHS_GEN.iter().position(|m| *m == w)
        {
            self.bump();
            return Some(i as i8 + 1);
        }
        None
    }
}
