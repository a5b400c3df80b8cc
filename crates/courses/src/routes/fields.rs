//! A posted form read field by field, for forms with repeated fields (ordered attachments and
//! instructors) that a struct cannot hold.

/// The posted fields in order.
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// Whether a checkbox `name` was ticked.
    pub fn on(&self, name: &str) -> bool {
        matches!(self.get(name), "on" | "true" | "1")
    }
}

/// Applies a list action (`up:ID`, `down:ID`, `remove:ID`) to ordered ids.
pub fn reorder<T: PartialEq + Copy + std::fmt::Display>(items: &mut Vec<T>, action: &str) {
    let Some((verb, id)) = action.split_once(':') else { return };
    let Some(at) = items.iter().position(|i| i.to_string() == id) else { return };
    match verb {
        "up" if at > 0 => items.swap(at, at - 1),
        "down" if at + 1 < items.len() => items.swap(at, at + 1),
        "remove" => {
            items.remove(at);
        }
        _ => {}
    }
}
