//! Chinese and Arabic numerals: 二十二 = 22 = 22; 第二十二二条 is an error.

/// Parse a numeral as written. Arabic digits may be full-width. Chinese
/// numerals follow the standard unit grammar up to 9999 (千 百 十), with 零
/// marking a gap (一百零五) and 十 standing alone for 10 (十二 = 12).
pub fn parse_numeral(s: &str) -> Result<u32, String> {
    if s.is_empty() {
        return Err("空数字".into());
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let ascii: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    c
                } else {
                    char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or('0')
                }
            })
            .collect();
        return ascii
            .parse::<u32>()
            .map_err(|_| format!("数字“{s}”过大"))
            .and_then(|n| {
                if n > 1_000_000 {
                    Err(format!("数字“{s}”过大（上限 1000000）"))
                } else {
                    Ok(n)
                }
            });
    }
    parse_chinese(s)
}

/// A number in Chinese numerals as article numbers are written: 5 → 五,
/// 10 → 十, 22 → 二十二, 105 → 一百零五. 0 and numbers from 10000 up are
/// written in Arabic digits.
pub fn to_chinese(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let d = |i: u32| DIGITS.get(i as usize).copied().unwrap_or("");
    if n == 0 || n >= 10_000 {
        return n.to_string();
    }
    let mut out = String::new();
    let mut zero = false;
    for (unit, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
        let q = (n / unit) % 10;
        if q == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十二, not 一十二, when 十 leads.
        if !(unit == 10 && q == 1 && out.is_empty()) {
            out.push_str(d(q));
        }
        out.push_str(name);
    }
    out
}

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u32> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

fn parse_chinese(s: &str) -> Result<u32, String> {
    let bad = |why: &str| Err(format!("“{s}”不是合法的中文数字：{why}"));
    if s == "零" || s == "〇" {
        return Ok(0);
    }
    let mut total = 0u32;
    let mut pending: Option<u32> = None; // a digit waiting for its unit
    let mut last_unit = u32::MAX; // units must strictly decrease
    let mut after_zero = false;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            if d == 0 {
                if pending.is_some() {
                    return bad("“零”前不能紧跟数字");
                }
                after_zero = true;
                continue;
            }
            if pending.is_some() {
                return bad("两个数字之间缺少“十”“百”或“千”");
            }
            pending = Some(d);
        } else if let Some(u) = unit(c) {
            if u >= last_unit {
                return bad("位数顺序不对");
            }
            let d = match pending.take() {
                Some(d) => d,
                // 十二: a bare 十 at the start means 一十.
                None if total == 0 && u == 10 && !after_zero => 1,
                None => return bad("“十”“百”“千”前缺少数字"),
            };
            total += d * u;
            last_unit = u;
            after_zero = false;
        } else if c == '万' {
            return bad("数值过大（条号、天数、次数都不会上万）");
        } else {
            return bad("含有非数字字符");
        }
    }
    if let Some(d) = pending {
        // 一百五 (colloquial 150) is ambiguous: require 一百五十.
        if last_unit != u32::MAX && last_unit > 10 && !after_zero {
            return bad("末位数字缺少单位（如“一百五十”或“一百零五”）");
        }
        total += d;
    } else if after_zero {
        return bad("不能以“零”结尾");
    }
    if total == 0 && !s.chars().all(|c| digit(c) == Some(0)) {
        return bad("数值为零");
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::parse_numeral;

    #[test]
    fn to_chinese_round_trips() {
        for n in 1..2100 {
            let s = super::to_chinese(n);
            assert_eq!(parse_numeral(&s), Ok(n), "{n} → {s}");
        }
        assert_eq!(super::to_chinese(10), "十");
        assert_eq!(super::to_chinese(57), "五十七");
        assert_eq!(super::to_chinese(105), "一百零五");
        assert_eq!(super::to_chinese(110), "一百一十");
    }

    #[test]
    fn chinese_numerals() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十二", 22),
            ("七十七", 77),
            ("一百", 100),
            ("一百零五", 105),
            ("一百一十", 110),
            ("一百二十三", 123),
            ("两千零二十三", 2023),
            ("零", 0),
            ("22", 22),
            ("２２", 22),
        ] {
            assert_eq!(parse_numeral(s), Ok(n), "{s}");
        }
    }

    #[test]
    fn malformed_numerals() {
        for s in [
            "二十二二",
            "二二",
            "十十",
            "百",
            "一百五",
            "五零",
            "二十零",
            "一千万",
        ] {
            assert!(parse_numeral(s).is_err(), "{s} should be rejected");
        }
    }
}
