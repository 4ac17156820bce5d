//! Things held open per key — event streams per user, exports per user, connections
//! per address: a slot is taken while fewer than the maximum are held, and given back
//! when it is dropped, on every path.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

pub struct KeyedSlots<K>(Arc<Mutex<HashMap<K, usize>>>);

impl<K> Clone for KeyedSlots<K> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<K> Default for KeyedSlots<K> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

/// One held slot; dropping it gives the slot back.
pub struct KeyedSlot<K: Eq + Hash + Copy> {
    slots: KeyedSlots<K>,
    key: K,
}

impl<K: Eq + Hash + Copy> KeyedSlots<K> {
    /// A slot for `key`, unless `max` are held for it already.
    pub fn take(&self, key: K, max: usize) -> Option<KeyedSlot<K>> {
        let mut held = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = held.entry(key).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(KeyedSlot { slots: self.clone(), key })
    }
}

impl<K: Eq + Hash + Copy> Drop for KeyedSlot<K> {
    fn drop(&mut self) {
        let mut held = self.slots.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = held.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                held.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_per_key_and_given_back_on_drop() {
        let slots = KeyedSlots::default();
        let first = slots.take(1, 2).unwrap();
        let _second = slots.take(1, 2).unwrap();
        assert!(slots.take(1, 2).is_none());
        assert!(slots.take(2, 2).is_some(), "other keys are counted apart");
        drop(first);
        assert!(slots.take(1, 2).is_some());
    }
}
