//! Deadlines told against something else: «не реже N раз в …», «в течение N дней со дня …»
//! (an event, its anchor and offset), «в течение года» read as the plan's year, and recurring
//! rules said without their periodicity word.

use super::*;

impl<'a> P<'a> {
    // at_least := "не реже" N "раз(а)" "в" UNIT | N "раз(а)" "в год"
    pub(super) fn at_least(&mut self) -> Option<Schedule> {
        let at_least = self.eat_all(&["не", "реже"]);
        let n = self.number_word().unwrap_or(1);
        self.eat_any(&["раз", "раза"])?;
        self.eat("в").then_some(())?;
        // "в три месяца", "в шесть месяцев": a quarter, a half-year.
        let months = self.try_(|p| {
            let m = p.number_word()?;
            p.eat_any(&["месяца", "месяцев"])?;
            match m {
                3 => Some(Frequency::Quarterly),
                6 => Some(Frequency::HalfYearly),
                12 => Some(Frequency::Yearly),
                _ => None,
            }
        });
        let unit = match months {
            Some(u) => u,
            None => self.period_unit()?,
        };
        if n == 1 && (at_least || self.clause_ends()) {
            return Some(rec(unit, DueRule::EndOfPeriod, None));
        }
        if unit != Frequency::Yearly || !matches!(n, 2 | 4 | 12) {
            self.note(format!("{n} раз в {} не делятся на равные периоды", unit_ru(unit)));
            return None;
        }
        let every = match n {
            2 => Frequency::HalfYearly,
            4 => Frequency::Quarterly,
            _ => Frequency::Monthly,
        };
        Some(rec(every, DueRule::EndOfPeriod, None))
    }

    // after_event := [lead] ("в течение"|"не позднее"|"в срок до"|…) N [unit] дней ANCHOR words
    pub(super) fn after_event(&mut self) -> Option<Schedule> {
        // No word a term starts with: not a term (and no lead words to skip through).
        let starts = [
            "течение",
            "позднее",
            "позже",
            "через",
            "срок",
            "более",
            "превышать",
            "превышающий",
            "дней",
            "дня",
            "недель",
        ];
        if !self.t[self.pos..].iter().any(|t| matches!(t, Tok::Word(w) if starts.contains(w))) {
            return None;
        }
        // A window: "не менее 30 дней и не более 90 дней со дня …", "не ранее двух рабочих дней и
        // не позднее пяти рабочих дней с момента …": due at its end, its start kept.
        let not_before = self.try_(|p| {
            p.eat("не").then_some(())?;
            p.eat_any(&["менее", "ранее"])?;
            let earliest = p.try_(P::term_head)?;
            p.eat("и").then_some(())?;
            (p.word_is("не") && matches!(p.peek_at(1), Some(Tok::Word("более" | "позднее")))).then_some(())?;
            Some(earliest)
        });
        let lead_start = self.pos;
        // Words that say what is updated before the term ("сведения подлежат обновлению в случае
        // их изменения не позднее 10 дней с момента …") are kept with the event.
        let lead_end;
        let term = loop {
            let save = self.pos;
            if let Some(t) = self.try_(P::term_head) {
                lead_end = save;
                break t;
            }
            self.pos = save;
            match self.peek() {
                // Skipping lead words is no progress in reading: a refusal names them.
                Some(Tok::Word(_)) if self.pos - lead_start < 12 => self.pos += 1,
                _ => return None,
            }
        };
        let anchor_start = self.pos;
        // "начиная со дня, следующего за днем …": the term runs from the next day, as every term does.
        self.eat("начиная");
        let anchored = self.eat_all(&["с", "момента"])
            || self.eat_all(&["со", "дня"])
            || self.eat_all(&["с", "даты"])
            || self.eat_all(&["с", "дня"])
            || self.eat("после")
            || self.eat_all(&["следующих", "за"])
            || self.eat_all(&["следующего", "за"])
            || self.eat_all(&["по", "истечении"]);
        if !anchored {
            // A term whose event the document names elsewhere ("в 7-дневный срок"): due a term
            // after the event's date, which the caller gives; never a date on its own.
            if lead_end == lead_start && (self.at_end() || self.clause_ends()) {
                return Some(Schedule::AfterEvent { term, event: String::new(), not_before });
            }
            return None;
        }
        self.pos = anchor_start;
        let event = self.rest_of_clause();
        if event.split_whitespace().count() < 2 {
            return None;
        }
        if event.contains(", но ") {
            self.note("два условия срока («…, но не позднее …») в одном не поддерживаются".into());
            return None;
        }
        // "в течение 30 дней со дня окончания соответствующего квартала": a periodic rule.
        let end = self.pos;
        self.pos = anchor_start;
        let period_end = self.try_(|p| {
            p.eat_any(&["со", "с", "после"])?;
            p.eat_any(&["дня", "даты"]);
            p.eat("окончания").then_some(())?;
            p.eat_any(&["соответствующего", "отчетного", "каждого"]);
            let unit = p.period_unit()?;
            (p.at_end() || p.clause_ends()).then_some(unit)
        });
        if let Some(every) = period_end
            && lead_end == lead_start
            && not_before.is_none()
        {
            return Some(rec(every, DueRule::AfterPeriodEnd { term }, None));
        }
        self.pos = end;
        if event.starts_with("после отчетного периода") {
            self.note("срок от конца отчётного периода, а период не назван".into());
            return None;
        }
        if event.contains("окончания отчетного") {
            self.note("срок от окончания отчётного периода, а период назван неоднозначно".into());
            return None;
        }
        let lead = join(&self.t[lead_start..lead_end]);
        let event = if lead.is_empty() { event } else { format!("{event} ({lead})") };
        if let Some(earliest) = not_before
            && (earliest.unit != term.unit || earliest.amount > term.amount || lead_end != lead_start)
        {
            self.note("начало и конец срока не согласуются".into());
            return None;
        }
        Some(Schedule::AfterEvent { term, event, not_before })
    }

    pub(super) fn term_head(&mut self) -> Option<Term> {
        let calendar = |amount| Term {
            amount,
            unit: Unit::CalendarDays,
            on_day_off: DayOffPolicy::Preceding,
            counts_start_day: false,
        };
        // "в 3-дневный срок", "в трехдневный срок", "не позднее чем в трехдневный срок"
        if let Some(t) = self.try_(|p| {
            p.eat_all(&["не", "позднее", "чем"]);
            p.eat("в").then_some(())?;
            // "в месячный срок": a month (Civil Code art. 192).
            if p.eat_all(&["месячный", "срок"]) {
                return Some(Term {
                    amount: 1,
                    unit: Unit::Months,
                    on_day_off: DayOffPolicy::Preceding,
                    counts_start_day: false,
                });
            }
            let n = match p.num() {
                Some(n) => {
                    p.punct('-');
                    p.eat("дневный").then_some(n)?
                }
                None => match p.eat_any(&["трехдневный", "пятидневный", "семидневный", "десятидневный"])?
                {
                    "трехдневный" => 3,
                    "пятидневный" => 5,
                    "семидневный" => 7,
                    _ => 10,
                },
            };
            p.eat("срок").then_some(calendar(n))
        }) {
            return Some(t);
        }
        // "не позднее дня, следующего за днем …": one day.
        if self
            .try_(|p| {
                (p.eat_all(&["не", "позднее", "дня"]) || p.eat_all(&["не", "позднее", "рабочего", "дня"]))
                    .then_some(())?;
                p.punct(',');
                p.word_is("следующего").then_some(())
            })
            .is_some()
        {
            return Some(calendar(1));
        }
        self.eat("составляет");
        // "в срок, не превышающий один месяц с момента …"
        self.try_(|p| {
            p.eat_all(&["в", "срок"]).then_some(())?;
            p.punct(',');
            p.eat_all(&["не", "превышающий"]).then_some(())
        });
        // The words before the number; a bare term ("15 рабочих дней со дня …") has none.
        let _lead = self.eat_all(&["в", "течение"])
            || self.eat_all(&["не", "более"])
            || self.eat_all(&["не", "должен", "превышать"])
            || self.eat_all(&["не", "должна", "превышать"])
            || self.eat_all(&["не", "должно", "превышать"])
            || self.eat_all(&["в", "срок", "не", "позднее"])
            || self.eat_all(&["в", "срок", "до"])
            || self.eat_all(&["не", "позднее"])
            || self.eat_all(&["не", "позже"])
            || self.eat("через");
        // "не позднее чем через 30 дней", "в срок не позднее чем через десять дней"
        self.eat_all(&["чем", "через"]);
        let amount = self.number_word()?;
        if self.eat_any(&["месяц", "месяца", "месяцев"]).is_some() {
            self.punct(',');
            return Some(Term {
                amount,
                unit: Unit::Months,
                on_day_off: DayOffPolicy::Preceding,
                counts_start_day: false,
            });
        }
        // "в течение двух недель": a week is seven days.
        if self.eat_any(&["недели", "недель", "неделю"]).is_some() {
            self.punct(',');
            return Some(calendar(amount.saturating_mul(7)));
        }
        let unit = self.day_unit()?;
        self.eat_any(&["дней", "дня", "день"])?;
        self.punct(',');
        Some(Term { amount, unit, on_day_off: DayOffPolicy::Preceding, counts_start_day: false })
    }

    // within := "в течение" ["всего"] ( "года" | YEAR "года" | period )
    pub(super) fn within(&mut self) -> Option<Schedule> {
        let by_end = self.eat_all(&["до", "конца"]);
        if !by_end && !self.eat_all(&["в", "течение"]) {
            return None;
        }
        if self.eat("года") || (by_end && self.eat_all(&["текущего", "года"])) {
            return Some(Schedule::WithinYear { year: self.ctx.year });
        }
        // "в течение 2019 года", "в течение 2019-2020 годов", "в течение I квартала 2019 г."
        let period = self.period()?;
        Some(match period {
            Period::Year { year } => Schedule::WithinYear { year: Some(year) },
            p => Schedule::Once { period: p },
        })
    }

    // implied_recurring: a rule whose periodicity is in its words ("до 11 числа месяца,
    // следующего за отчетным", "до 1 февраля года, следующего за отчетным", "за отчетный год -").
    pub(super) fn implied_recurring(&mut self) -> Option<Schedule> {
        let marked = self.try_(|p| {
            // "за отчетный год -", "по итогам года -"
            (p.eat_all(&["за", "отчетный"]) || p.eat_all(&["по", "итогам"])).then_some(())?;
            let u = p.period_unit()?;
            p.punct('-');
            p.punct(',');
            Some(u)
        });
        // "до 10 февраля (уточненную информацию - до 16 апреля) года, следующего за отчетным": two
        // due dates of one report's two versions, the year's words said once for both.
        if marked.is_none()
            && let Some(s) = self.try_(|p| {
                p.by().then_some(())?;
                let (d1, m1) = (p.num()?, p.month_gen()?);
                p.punct('(').then_some(())?;
                let start = p.pos;
                while !matches!(p.peek(), Some(Tok::Punct('-')) | None) {
                    p.pos += 1;
                }
                let what = join(&p.t[start..p.pos]);
                p.punct('-').then_some(())?;
                p.eat("до").then_some(())?;
                let (d2, m2) = (p.num()?, p.month_gen()?);
                p.punct(')').then_some(())?;
                let next = p.next_year_tail();
                (p.at_end() || p.clause_ends()).then_some(())?;
                let rule = |d: u32, m: i8| {
                    valid_day(d as i8, m).ok()?;
                    Some(if next {
                        DueRule::NextYear { day: d as i8, month: m }
                    } else {
                        DueRule::SameYear { day: d as i8, month: m }
                    })
                };
                Some(Schedule::All {
                    items: vec![
                        rec(Frequency::Yearly, rule(d1, m1)?, None),
                        rec(Frequency::Yearly, rule(d2, m2)?, Some(what)),
                    ],
                })
            })
        {
            return Some(s);
        }
        // "в I квартале года, следующего за отчетным": by the end of that quarter of the next year.
        if marked.is_none()
            && let Some(q) = self.try_(|p| {
                p.eat("в").then_some(())?;
                let q = p.roman()?;
                p.eat_any(&["квартале", "квартала"])?;
                p.eat("года").then_some(())?;
                p.punct(',');
                p.eat("следующего").then_some(())?;
                p.eat("за").then_some(())?;
                p.eat("отчетным").then_some(())?;
                (p.at_end() || p.clause_ends()).then_some(q)
            })
        {
            let (day, month) = match q {
                1 => (31, 3),
                2 => (30, 6),
                3 => (30, 9),
                _ => (31, 12),
            };
            return Some(rec(Frequency::Yearly, DueRule::NextYear { day, month }, None));
        }
        // "не позднее 20-го февраля, мая, августа и ноября": a day of each month named, every year.
        if marked.is_none()
            && let Some(items) = self.try_(|p| {
                p.by().then_some(())?;
                let day = p.num()?;
                let mut months = vec![p.month_gen()?];
                loop {
                    if p.punct(',') || p.eat("и") {
                        months.push(p.month_gen()?);
                    } else {
                        break;
                    }
                }
                (months.len() >= 2 && (p.at_end() || p.clause_ends())).then_some(())?;
                months
                    .into_iter()
                    .map(|month| {
                        valid_day(day as i8, month).ok()?;
                        Some(rec(Frequency::Yearly, DueRule::SameYear { day: day as i8, month }, None))
                    })
                    .collect::<Option<Vec<_>>>()
            })
        {
            return Some(Schedule::All { items });
        }
        let save = self.pos;
        // Try each frequency; keep the one whose words agree. Only a bracketed period ("(квартал)")
        // can tell them apart, so without brackets one try is enough.
        let bracketed = self.t[save..].iter().any(|t| matches!(t, Tok::Punct('(')));
        let tries: &[Frequency] = if bracketed {
            &[Frequency::Monthly, Frequency::Quarterly, Frequency::HalfYearly, Frequency::Yearly]
        } else {
            &[Frequency::Monthly]
        };
        for &every in tries {
            self.pos = save;
            self.same_year_said = false;
            self.event_period = None;
            self.time_said = None;
            let Some(due) = self.due_rule(every) else { continue };
            let every = match (marked, due) {
                (Some(u), _) => u,
                (None, DueRule::NextYear { .. }) => Frequency::Yearly,
                (None, DueRule::SameYear { .. }) if self.same_year_said => Frequency::Yearly,
                (
                    None,
                    DueRule::AfterPeriodEnd { .. }
                    | DueRule::BeforePeriodEnd { .. }
                    | DueRule::BeforePeriodStart { .. },
                ) => self.last_unit(save)?,
                // "месяца, следующего за отчетным кварталом": the period named last.
                (
                    None,
                    DueRule::NextMonth { .. }
                    | DueRule::NextMonthWorking { .. }
                    | DueRule::SecondMonth { .. }
                    | DueRule::ThirdMonth { .. },
                ) => self.last_unit(save).unwrap_or(Frequency::Monthly),
                (None, DueRule::LastMonth { .. }) => self.last_unit(save).unwrap_or(Frequency::Quarterly),
                (None, DueRule::MonthsBeforePeriodEnd { .. }) => self.last_unit(save)?,
                (None, DueRule::Weekday { .. }) => Frequency::Weekly,
                (None, _) => return None,
            };
            if !yearly_rule_fits(every, due) {
                self.note(format!(
                    "день года для периодичности «{}»: срок за другие периоды не назван",
                    unit_ru(every)
                ));
                return None;
            }
            let qualifier = self.qualifier_after_rule();
            let s = rec(every, due, qualifier);
            return Some(self.anchored(s, marked.is_some()));
        }
        None
    }

    /// The period named after "последнего месяца" in a rule read from `from`.
    pub(super) fn last_unit(&self, from: usize) -> Option<Frequency> {
        let words: Vec<&str> =
            self.t[from..self.pos].iter().filter_map(|t| if let Tok::Word(w) = t { Some(*w) } else { None }).collect();
        let unit = words.iter().rev().find(|w| {
            w.starts_with("квартал")
                || w.starts_with("полугоди")
                || w.starts_with("месяц")
                || **w == "год"
                || **w == "года"
                || **w == "годом"
        })?;
        Some(if unit.starts_with("месяц") {
            Frequency::Monthly
        } else if unit.starts_with("квартал") {
            Frequency::Quarterly
        } else if unit.starts_with("полугоди") {
            Frequency::HalfYearly
        } else {
            Frequency::Yearly
        })
    }
}
