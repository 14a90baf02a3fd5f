//! One small cache for everything the UI derives from the document: the grid's visible rows,
//! the chart preview, and the Compare, Merge and Coder agreement results.
//!
//! Key convention: `(revision, options)`, where `revision` is [`super::Document::revision`]
//! (document generation, history state) and `options` is whatever else the value depends on
//! (a filter, a chart spec, a counter bumped when the other files or choices change).

/// A value computed from a key, kept until it is asked for with another key.
#[derive(Debug)]
pub struct Memo<K, V> {
    entry: Option<(K, V)>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self { entry: None }
    }
}

impl<K: PartialEq, V> Memo<K, V> {
    /// The value for `key`; `compute` runs only when the key differs from the last one.
    pub fn get_or_compute(&mut self, key: K, compute: impl FnOnce() -> V) -> &V {
        let entry = match self.entry.take() {
            Some((held, value)) if held == key => (held, value),
            _ => (key, compute()),
        };
        &self.entry.insert(entry).1
    }

    /// True when the value held was computed for `key`.
    pub fn is_fresh(&self, key: &K) -> bool {
        self.entry.as_ref().is_some_and(|(held, _)| held == key)
    }

    /// Keeps `value` as the one for `key` (for callers that compare old and new first).
    pub fn set(&mut self, key: K, value: V) {
        self.entry = Some((key, value));
    }

    /// The value last computed, whatever its key.
    pub fn last(&self) -> Option<&V> {
        self.entry.as_ref().map(|(_, value)| value)
    }

    /// Forgets the value, so the next request computes it again.
    pub fn clear(&mut self) {
        self.entry = None;
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn computes_once_per_key_and_again_when_the_key_changes() {
        let mut memo: Memo<(u64, &str), String> = Memo::default();
        let mut runs = 0;
        for _ in 0..3 {
            let value = memo.get_or_compute((1, "a"), || {
                runs += 1;
                "first".to_owned()
            });
            assert_eq!(value, "first");
        }
        assert_eq!(runs, 1);
        let value = memo.get_or_compute((2, "a"), || {
            runs += 1;
            "second".to_owned()
        });
        assert_eq!(value, "second");
        assert_eq!(runs, 2);
        assert!(memo.is_fresh(&(2, "a")));
        assert!(!memo.is_fresh(&(1, "a")));
        memo.clear();
        assert_eq!(memo.last(), None);
        assert!(!memo.is_fresh(&(2, "a")));
    }
}
