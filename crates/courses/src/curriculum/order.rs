//! A course's outline as ids, as the island sends it and the up/down buttons change it.

use crate::model::{LessonId, ModuleId};

/// A course's outline as ids: modules in order, each with its lessons in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Order(pub Vec<(ModuleId, Vec<LessonId>)>);

impl Order {
    /// Reads `module:lesson,lesson;module:;…` as the island and the tests send it.
    pub fn parse(s: &str) -> Option<Self> {
        let mut out = vec![];
        for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (module, lessons) = part.split_once(':').unwrap_or((part, ""));
            let module = ModuleId(module.trim().parse().ok()?);
            let lessons = lessons
                .split(',')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| l.parse().ok().map(LessonId))
                .collect::<Option<Vec<_>>>()?;
            out.push((module, lessons));
        }
        Some(Self(out))
    }

    /// The order as [`Order::parse`] reads it.
    pub fn encode(&self) -> String {
        self.0
            .iter()
            .map(|(m, ls)| format!("{}:{}", m.0, ls.iter().map(|l| l.0.to_string()).collect::<Vec<_>>().join(",")))
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Where a lesson is: (module index, lesson index).
    fn find(&self, lesson: LessonId) -> Option<(usize, usize)> {
        self.0.iter().enumerate().find_map(|(mi, (_, ls))| ls.iter().position(|l| *l == lesson).map(|li| (mi, li)))
    }

    /// Moves a lesson one place up or down; past the edge of its module it goes to the end of the
    /// previous module or the start of the next. Returns whether anything moved.
    pub fn move_lesson(&mut self, lesson: LessonId, up: bool) -> bool {
        let Some((mi, li)) = self.find(lesson) else { return false };
        let len = self.0[mi].1.len();
        match (up, li) {
            (true, 0) if mi > 0 => {
                let l = self.0[mi].1.remove(0);
                self.0[mi - 1].1.push(l);
            }
            (true, 0) => return false,
            (true, _) => self.0[mi].1.swap(li, li - 1),
            (false, _) if li + 1 < len => self.0[mi].1.swap(li, li + 1),
            (false, _) if mi + 1 < self.0.len() => {
                let l = self.0[mi].1.remove(li);
                self.0[mi + 1].1.insert(0, l);
            }
            (false, _) => return false,
        }
        true
    }

    /// Moves a module one place up or down. Returns whether anything moved.
    pub fn move_module(&mut self, module: ModuleId, up: bool) -> bool {
        let Some(i) = self.0.iter().position(|(m, _)| *m == module) else { return false };
        let j = if up { i.checked_sub(1) } else { Some(i + 1).filter(|j| *j < self.0.len()) };
        let Some(j) = j else { return false };
        self.0.swap(i, j);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (ModuleId, ModuleId, LessonId, LessonId, LessonId) {
        (ModuleId::new(), ModuleId::new(), LessonId::new(), LessonId::new(), LessonId::new())
    }

    #[test]
    fn orders_round_trip_and_refuse_garbage() {
        let (m1, m2, a, b, c) = ids();
        let order = Order(vec![(m1, vec![a, b]), (m2, vec![]), (ModuleId::new(), vec![c])]);
        assert_eq!(Order::parse(&order.encode()), Some(order));
        assert_eq!(Order::parse(""), Some(Order::default()));
        assert_eq!(Order::parse("nope:1"), None);
        assert_eq!(Order::parse(&format!("{}:x", m1.0)), None);
    }

    #[test]
    fn lessons_move_across_module_edges() {
        let (m1, m2, a, b, c) = ids();
        let mut order = Order(vec![(m1, vec![a, b]), (m2, vec![c])]);
        assert!(!order.move_lesson(a, true), "the first lesson stays");
        assert!(order.move_lesson(c, true));
        assert_eq!(order.0, vec![(m1, vec![a, b, c]), (m2, vec![])]);
        assert!(order.move_lesson(c, false));
        assert_eq!(order.0, vec![(m1, vec![a, b]), (m2, vec![c])]);
        assert!(order.move_lesson(a, false));
        assert_eq!(order.0[0].1, vec![b, a]);
        assert!(!order.move_lesson(c, false), "the last lesson stays");
        assert!(order.move_module(m2, true) && !order.move_module(m2, true));
        assert_eq!(order.0[0].0, m2);
    }
}
