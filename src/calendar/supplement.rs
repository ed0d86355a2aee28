//! Supplement files: holiday notices published after a release, added by a
//! ruleset (`日历 中国法定节假日+新疆 补充 "calendars/xinjiang-2026.json"`) or
//! on the command line (`--calendar-file`), in the embedded data's schema.
//!
//! Merging rules (each row of each file, in order):
//! - a row that agrees with the calendar (same day off / working) adds
//!   nothing: a file may repeat what is already known;
//! - a row that says working where the calendar says off, or off where it
//!   says 调休上班, is `guize::calendar::conflict` — except that on the
//!   Xinjiang calendar a regional day off may fall on a national 调休上班
//!   day in a year the calendar does not yet cover, as in the embedded overlay;
//! - a row in a notice year the calendar already covers (embedded, or an
//!   earlier file) that would change an ordinary day is
//!   `guize::calendar::embedded_year`: covered years are not edited by files;
//! - otherwise the row is added, and its notice year becomes covered.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Calendar, CalendarId, DayKind, data, regional_years, year_runs};
use crate::diag::{Diag, Source, code};

impl Calendar {
    /// This calendar with `files` added in order. Every problem is a coded
    /// diagnostic pointing into the file it is in.
    pub fn with_files(&self, files: &[Source]) -> Result<Calendar, Vec<Diag>> {
        let mut cal = self.clone();
        // Its days change: counted afresh when first asked.
        cal.ordinals = Default::default();
        let mut errors = Vec::new();
        // Where each year and day added by a file came from, for messages.
        let mut year_from: HashMap<i32, String> = HashMap::new();
        let mut day_from: HashMap<NaiveDate, String> = HashMap::new();
        let national_years = Calendar::get(CalendarId::National)
            .map(|n| n.years.clone())
            .unwrap_or_default();
        for file in files {
            let table = match data::parse(&file.text) {
                Ok(t) => t,
                Err(e) => {
                    errors.extend(e.into_iter().map(|d| d.in_source(file)));
                    continue;
                }
            };
            let before = errors.len();
            let mut more_in_year: HashMap<i32, usize> = HashMap::new();
            let mut first_in_year: HashMap<i32, usize> = HashMap::new();
            let mut added: Vec<(NaiveDate, DayKind)> = Vec::new();
            for (date, row) in &table.days {
                let covered = cal.years.contains(&row.year);
                let existing_off = cal.special.get(date).map(|k| !k.is_working());
                let origin = || match day_from.get(date) {
                    Some(f) => format!("补充文件 {f}"),
                    None => format!("内置数据（{}）", cal.id.display_name()),
                };
                match existing_off {
                    Some(off) if off == row.off => {}
                    Some(false) if cal.id == CalendarId::Xinjiang && !covered => {
                        added.push((
                            *date,
                            DayKind::RegionalHoliday {
                                name: row.name.clone(),
                            },
                        ));
                    }
                    // A listed day made the opposite: off ↔ 调休 working day.
                    Some(was_off) => {
                        let name = cal.special.get(date).map_or("", kind_name);
                        let (file_says, data_says, which) = if was_off {
                            ("调休上班", "放假", "放假日不能由补充文件改为上班")
                        } else {
                            ("放假", "调休上班", "调休上班日不能由补充文件改为放假")
                        };
                        errors.push(
                            Diag::error(
                                code::CALENDAR_CONFLICT,
                                row.span,
                                format!(
                                    "文件说 {date} {file_says}，但{}中该日是{name}{data_says}",
                                    origin()
                                ),
                            )
                            .label("与已有数据矛盾")
                            .help(format!(
                                "核对通知原文：已公布的{which}（通知若确有变更，请报告以更新内置数据）"
                            )),
                        );
                    }
                    None if covered => {
                        // One diagnostic per year (a whole file for the
                        // wrong calendar would give one per row).
                        if let Some(n) = more_in_year.get_mut(&row.year) {
                            *n += 1;
                            continue;
                        }
                        more_in_year.insert(row.year, 0);
                        first_in_year.insert(row.year, errors.len());
                        let by = year_from.get(&row.year).map_or_else(
                            || format!("内置数据（{}）", cal.id.display_name()),
                            |f| format!("补充文件 {f}"),
                        );
                        errors.push(
                            Diag::error(
                                code::CALENDAR_EMBEDDED_YEAR,
                                row.span,
                                format!(
                                    "{}年已由{by}覆盖，文件却把 {date} 列为{}，与之不同",
                                    row.year,
                                    if row.off { "放假" } else { "调休上班" }
                                ),
                            )
                            .label("已覆盖年份中的新日子")
                            .help("补充文件只能加入日历尚未覆盖的年份；已覆盖的年份可以照抄，不能改动：删去这一年，或只留与已有数据一致的日子"),
                        );
                    }
                    None => {
                        let name = row.name.clone();
                        let kind = if !row.off {
                            DayKind::AdjustedWorkday { name }
                        } else if cal.id == CalendarId::Xinjiang
                            && national_years.contains(&row.year)
                        {
                            // The national items of this year are known:
                            // a new day off is the region's own.
                            DayKind::RegionalHoliday { name }
                        } else {
                            DayKind::Holiday { name }
                        };
                        added.push((*date, kind));
                    }
                }
            }
            for (year, at) in first_in_year {
                let n = more_in_year.get(&year).copied().unwrap_or(0);
                if let Some(d) = errors.get_mut(at).filter(|_| n > 0) {
                    d.message = format!("{}（这一年还有 {n} 个这样的日子）", d.message);
                }
            }
            if errors.len() > before {
                errors
                    .iter_mut()
                    .skip(before)
                    .for_each(|d| *d = d.clone().in_source(file));
                continue;
            }
            let name = file.name.to_string();
            for (date, kind) in added {
                day_from.insert(date, name.clone());
                cal.special.insert(date, kind);
            }
            for y in &table.years {
                if cal.years.insert(*y) {
                    year_from.insert(*y, name.clone());
                }
            }
            cal.files.push(name);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        cal.covered = match cal.id {
            CalendarId::National => year_runs(&cal.years),
            CalendarId::Xinjiang => regional_years(&cal.years),
        };
        if !cal.files.is_empty() {
            let _ = write!(cal.covered, "，含补充文件 {}", cal.files.join("、"));
        }
        Ok(cal)
    }
}

fn kind_name(k: &DayKind) -> &str {
    match k {
        DayKind::Holiday { name }
        | DayKind::AdjustedWorkday { name }
        | DayKind::RegionalHoliday { name } => name,
        DayKind::Weekday | DayKind::Weekend => "",
    }
}
