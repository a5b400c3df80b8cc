//! The time zones a person or a school may pick: every IANA zone of chrono-tz's database under
//! a geographic region, plus UTC, grouped by region for the pickers.

use std::sync::LazyLock;

use chrono::{Offset, Utc};
use chrono_tz::{TZ_VARIANTS, Tz};
use serde::Serialize;

/// Regions shown in the pickers, in this order. Names outside them (`US/Eastern`, `Etc/GMT+5`,
/// `EST5EDT`) are old aliases of zones listed here, and would only make the list longer.
const REGIONS: [&str; 10] =
    ["America", "Europe", "Africa", "Asia", "Australia", "Pacific", "Atlantic", "Indian", "Antarctica", "Arctic"];

/// Every zone offered, sorted by name (so lookups can use binary search).
static OFFERED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut names: Vec<&'static str> = TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|name| *name == "UTC" || name.split_once('/').is_some_and(|(region, _)| REGIONS.contains(&region)))
        .collect();
    names.sort_unstable();
    names
});

/// Every zone a picker offers.
pub fn offered() -> &'static [&'static str] {
    &OFFERED
}

/// Whether `name` may be saved: one of [`offered`], or `current` (a zone saved before, even an
/// old alias, stays acceptable so that saving an unrelated field never fails on it).
pub fn accepts(name: &str, current: Option<&str>) -> bool {
    OFFERED.binary_search(&name).is_ok() || (current == Some(name) && name.parse::<Tz>().is_ok())
}

/// One region of a picker: its name and its zones as `(value, label)`.
#[derive(Clone, Debug, Serialize)]
pub struct ZoneGroup {
    /// The part of the names before the first `/` (`America`), or `UTC`.
    pub region: String,
    /// `("America/Argentina/Buenos_Aires", "Argentina / Buenos Aires · UTC−03:00")`.
    pub zones: Vec<(String, String)>,
}

/// The offered zones grouped by region, labelled with their current offset from UTC;
/// `current` is added (under its own region) when it is an older name not offered any more.
pub fn groups(current: Option<&str>) -> Vec<ZoneGroup> {
    let mut groups: Vec<ZoneGroup> = std::iter::once("UTC")
        .chain(REGIONS)
        .map(|region| ZoneGroup { region: region.to_string(), zones: Vec::new() })
        .collect();
    let extra = current.filter(|c| !accepts(c, None) && c.parse::<Tz>().is_ok());
    for name in OFFERED.iter().copied().chain(extra) {
        let region = name.split_once('/').map_or("UTC", |(r, _)| r);
        let index = groups.iter().position(|g| g.region == region).unwrap_or_else(|| {
            groups.push(ZoneGroup { region: region.to_string(), zones: Vec::new() });
            groups.len() - 1
        });
        groups[index].zones.push((name.to_string(), label(name)));
    }
    groups.retain(|g| !g.zones.is_empty());
    groups
}

/// `Argentina / Buenos Aires · UTC−03:00`: the place as people write it, and the offset now.
pub fn label(name: &str) -> String {
    let place = name.split_once('/').map_or(name, |(_, rest)| rest).replace('_', " ").replace('/', " / ");
    let Ok(tz) = name.parse::<Tz>() else { return place };
    if tz == Tz::UTC {
        return place;
    }
    let seconds = Utc::now().with_timezone(&tz).offset().fix().local_minus_utc();
    if seconds == 0 {
        return format!("{place} · UTC");
    }
    let sign = if seconds < 0 { '−' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{place} · UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_database_is_offered_and_checked() {
        for zone in ["America/Lima", "America/Santiago", "America/Caracas", "America/Toronto", "Asia/Manila", "UTC"] {
            assert!(accepts(zone, None), "{zone} is offered");
        }
        assert!(offered().len() > 300, "the full list, not a short one");
        assert!(!accepts("Mars/Olympus_Mons", None));
        assert!(!accepts("US/Eastern", None), "old aliases are not offered");
        assert!(accepts("US/Eastern", Some("US/Eastern")), "but one saved before still saves");
        assert!(!accepts("Mars/Olympus_Mons", Some("Mars/Olympus_Mons")));
    }

    #[test]
    fn zones_are_grouped_by_region_with_readable_labels() {
        let groups = groups(Some("US/Eastern"));
        assert_eq!(groups[0].region, "UTC");
        let america = groups.iter().find(|g| g.region == "America").unwrap();
        assert!(america.zones.iter().any(|(v, l)| v == "America/Lima" && l == "Lima · UTC−05:00"));
        assert!(groups.iter().any(|g| g.zones.iter().any(|(v, _)| v == "US/Eastern")), "the saved alias is kept");
        assert_eq!(label("UTC"), "UTC");
        assert!(label("America/Argentina/Buenos_Aires").starts_with("Argentina / Buenos Aires · UTC"));
    }
}
