//! Deadlines on the engine's clock. One driver task sleeps until the earliest deadline (in real
//! time) or until woken, e.g. after the clock was advanced; waiters are parked futures.

use chrono::{DateTime, Utc};
use domain::clock::Clock;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{oneshot, Notify};

/// Deadline and a sequence number (deadlines can repeat) to the waiter to wake.
type Queue = BTreeMap<(DateTime<Utc>, u64), oneshot::Sender<()>>;

pub struct Timers {
    clock: Arc<dyn Clock>,
    entries: Mutex<(u64, Queue)>,
    notify: Arc<Notify>,
}

impl Timers {
    pub fn start(clock: Arc<dyn Clock>) -> Arc<Timers> {
        let timers =
            Arc::new(Timers { clock, entries: Mutex::new((0, BTreeMap::new())), notify: Arc::new(Notify::new()) });
        let weak = Arc::downgrade(&timers);
        tokio::spawn(async move {
            while let Some(t) = weak.upgrade() {
                let wait = t.fire_due();
                let notify = t.notify.clone();
                drop(t);
                tokio::select! {
                    _ = notify.notified() => {}
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        });
        timers
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Fires every due timer; returns how long to sleep until the next one.
    fn fire_due(&self) -> std::time::Duration {
        let now = self.clock.now();
        let mut guard = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        while let Some(entry) = guard.1.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let _ = entry.remove().send(());
        }
        match guard.1.keys().next() {
            Some((deadline, _)) => (*deadline - now).to_std().unwrap_or_default(),
            None => std::time::Duration::from_secs(3600),
        }
    }

    /// Completes when the clock reaches `deadline`.
    pub async fn sleep_until(&self, deadline: DateTime<Utc>) {
        if self.clock.now() >= deadline {
            return;
        }
        let (tx, rx) = oneshot::channel();
        {
            let mut guard = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            guard.0 += 1;
            let seq = guard.0;
            guard.1.insert((deadline, seq), tx);
        }
        self.notify.notify_one();
        let _ = rx.await;
    }

    /// The earliest deadline anyone waits for.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        let guard = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        guard.1.keys().next().map(|(deadline, _)| *deadline)
    }

    /// Re-checks deadlines now: call after the clock moved.
    pub fn wake(&self) {
        self.notify.notify_one();
    }
}
