//! One-off deadlines and the periods they name: a date, a year, a quarter or half-year in words
//! or Roman numerals, a month, a range of years.

use super::*;

impl<'a> P<'a> {
    // one_off := ["до" | "не позднее" | "в срок до" | "до конца периода:" | "до конца"] period
    pub(super) fn one_off(&mut self) -> Option<Schedule> {
        let save = self.pos;
        if !(self.eat_all(&["до", "конца", "периода"]) && self.punct(':')) {
            self.pos = save;
            if !self.eat_all(&["до", "конца"]) {
                self.by();
            }
        }
        let period = self.period()?;
        Some(Schedule::Once { period })
    }

    pub(super) fn year(&mut self) -> Option<i16> {
        let save = self.pos;
        let n = self.num()?;
        if !(1000..=9999).contains(&n) {
            self.pos = save;
            return None;
        }
        if !(1990..=2100).contains(&n) {
            self.note(format!("год {n} вне разумного диапазона 1990–2100"));
            self.pos = save;
            return None;
        }
        self.eat_any(&["г", "год", "года", "году"]);
        Some(n as i16)
    }

    pub(super) fn roman(&mut self) -> Option<i8> {
        if let Some(n) = self.try_(|p| {
            let n = p.num()?;
            (1..=4).contains(&n).then_some(n as i8)
        }) {
            return Some(n);
        }
        let w = self.eat_any(&[
            "i",
            "ii",
            "iii",
            "iv",
            "и",
            "первое",
            "второе",
            "первый",
            "второй",
            "третий",
            "четвертый",
        ])?;
        Some(match w {
            "i" | "и" | "первое" | "первый" => 1,
            "ii" | "второе" | "второй" => 2,
            "iii" | "третий" => 3,
            _ => 4,
        })
    }

    pub(super) fn period(&mut self) -> Option<Period> {
        // "в срок с 01.11.2023 по 09.11.2023": done within the window, so due by its last day.
        if let Some(p) = self.try_(|p| {
            p.eat_all(&["в", "срок"]);
            p.eat("с").then_some(())?;
            let Some(Tok::Date { year: Some(_), .. }) = p.peek() else { return None };
            p.bump();
            p.eat("по").then_some(())?;
            let Some(Tok::Date { day, month, year: Some(y), .. }) = p.peek() else { return None };
            p.bump();
            let date = jiff::civil::Date::new(y as i16, month as i8, day as i8).ok()?;
            Some(Period::Day { date })
        }) {
            return Some(p);
        }
        self.eat("в");
        // Quarter: "IV квартал 2019", "4 кв. 2019 г.", "в IV квартале 2019 года", "IV квартала 2019"
        if let Some(p) = self.try_(|p| {
            let q = p.roman()?;
            p.eat_any(&["квартал", "кв", "квартале", "квартала"])?;
            let year = p.year()?;
            Some(Period::Quarter { year, quarter: q })
        }) {
            return Some(p);
        }
        if let Some(p) = self.try_(|p| {
            let h = p.roman().unwrap_or(1);
            p.eat_any(&["полугодие", "полугодия", "полугодии"])?;
            let year = p.year()?;
            if h > 2 {
                p.note(format!("полугодия {h} нет"));
                return None;
            }
            Some(Period::Half { year, half: h })
        }) {
            return Some(p);
        }
        // A day: "25.03.2020", "25.03.2020 г.", "1 марта 2019 года"
        if let Some(Tok::Date { day, month, year: Some(y), .. }) = self.peek() {
            self.bump();
            self.eat_any(&["г", "года"]);
            let date = jiff::civil::Date::new(y as i16, month as i8, day as i8).ok();
            if date.is_none() || !(1990..=2100).contains(&y) {
                self.note(format!("даты {day:02}.{month:02}.{y} нет"));
                return None;
            }
            return date.map(|date| Period::Day { date });
        }
        if let Some(p) = self.try_(|p| {
            let day = p.num()?;
            let month = p.month_gen()?;
            // "до 1 мая" in a plan of a known year: that year's day.
            let year = match p.year() {
                Some(y) => y,
                None => p.ctx.year.filter(|_| p.at_end() || p.clause_ends())?,
            };
            match jiff::civil::Date::new(year, month, day as i8) {
                Ok(date) if day <= 31 => Some(Period::Day { date }),
                _ => {
                    p.note(format!("даты {day}.{month:02}.{year} нет"));
                    None
                }
            }
        }) {
            return Some(p);
        }
        // A month: "март 2015 г.", "в марте 2019 года", "марта 2019"
        if let Some(p) = self.try_(|p| {
            let Some(Tok::Word(w)) = p.peek() else { return None };
            let month = MONTHS_NOM
                .iter()
                .position(|m| *m == w)
                .or_else(|| MONTHS_PREP.iter().position(|m| *m == w))
                .or_else(|| MONTHS_GEN.iter().position(|m| *m == w))?;
            p.bump();
            let year = p.year()?;
            Some(Period::Month { year, month: month as i8 + 1 })
        }) {
            return Some(p);
        }
        // Years: "2019-2021 гг.", "2019 - 2021 годы", "2017–2020 годы", "2019-2020"
        if let Some(p) = self.try_(|p| {
            let from = p.num()?;
            if !(p.punct('-') || p.eat("по")) {
                return None;
            }
            let to = p.num()?;
            p.eat_any(&["гг", "годы", "годов", "годах", "г"]);
            if !(1990..=2100).contains(&from) || !(1990..=2100).contains(&to) {
                return None;
            }
            if from > to {
                p.note(format!("диапазон {from}-{to} идёт назад"));
                return None;
            }
            Some(Period::Years { from: from as i16, to: to as i16 })
        }) {
            return Some(p);
        }
        let year = self.year()?;
        Some(Period::Year { year })
    }
}
