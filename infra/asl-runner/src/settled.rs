//! Whether the engine has work it could do now. A running scope (an execution, or one Map iteration) is
//! either doing something or parked: on a timer (a retry delay, a task's timeout), on a task token, or on
//! its Map's iterations. The engine is settled when no Lambda invocation is running and every scope is
//! parked on something that cannot wake at this clock: a timer still in the future, a token not yet
//! answered, iterations that all wait themselves. Advancing the clock or answering a token unsettles it.
//!
//! Every change happens under one lock, and each wake is counted before its waiter runs, so a test that
//! waits for [`crate::Engine::settled`] never sees "settled" while a woken execution has yet to move.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

#[derive(Default)]
pub(crate) struct Work {
    state: Mutex<State>,
    changed: Notify,
}

#[derive(Default)]
struct State {
    /// Executions and Map iterations that have started and not ended.
    scopes: usize,
    /// Lambda invocations running (counted until the handler returns, even for a stopped execution).
    invocations: usize,
    next_id: u64,
    parked: HashMap<u64, Park>,
    maps: HashMap<u64, Iterations>,
}

#[derive(Clone)]
pub(crate) enum Park {
    /// A retry delay or a timeout.
    Timer(DateTime<Utc>),
    /// A `.waitForTaskToken` task, with its timeout.
    Token { token: String, deadline: Option<DateTime<Utc>> },
    /// A Map state waiting for its iterations (by the id of [`MapProgress`]).
    Iterations(u64),
}

/// One Map state's iterations: how many may run at once, started, ended, and ended but not yet taken up.
struct Iterations {
    count: usize,
    limit: usize,
    started: usize,
    ended: usize,
    taken: usize,
}

impl Iterations {
    fn runnable(&self) -> bool {
        self.ended > self.taken || (self.started < self.count && self.started - self.ended < self.limit)
    }
}

impl Work {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn change(&self, f: impl FnOnce(&mut State)) {
        f(&mut self.lock());
        self.changed.notify_waiters();
    }

    /// An execution starts: counted before its task is spawned.
    pub(crate) fn enter(self: &Arc<Self>) -> Scope {
        self.change(|s| s.scopes += 1);
        Scope { work: self.clone(), map: None }
    }

    pub(crate) fn invoke(self: &Arc<Self>) -> Invocation {
        self.change(|s| s.invocations += 1);
        Invocation { work: self.clone() }
    }

    pub(crate) fn park(self: &Arc<Self>, park: Park) -> Parked {
        let mut id = 0;
        self.change(|s| {
            s.next_id += 1;
            id = s.next_id;
            s.parked.insert(id, park);
        });
        Parked { work: self.clone(), id }
    }

    pub(crate) fn map(self: &Arc<Self>, count: usize, limit: usize) -> MapProgress {
        let mut id = 0;
        self.change(|s| {
            s.next_id += 1;
            id = s.next_id;
            s.maps.insert(id, Iterations { count, limit, started: 0, ended: 0, taken: 0 });
        });
        MapProgress { work: self.clone(), id }
    }

    /// Nothing can move at `now`; `answered` says whether a token has been answered.
    pub(crate) fn is_settled(&self, now: DateTime<Utc>, answered: impl Fn(&str) -> bool) -> bool {
        let s = self.lock();
        s.invocations == 0
            && s.parked.len() == s.scopes
            && s.parked.values().all(|p| match p {
                Park::Timer(deadline) => *deadline > now,
                Park::Token { token, deadline } => !answered(token) && deadline.is_none_or(|d| d > now),
                Park::Iterations(id) => s.maps.get(id).is_none_or(|m| !m.runnable()),
            })
    }

    /// Completes at the next change (call [`Work::is_settled`] again then).
    pub(crate) async fn changed(&self, check: impl Fn() -> bool) {
        let notified = self.changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if check() {
            return;
        }
        notified.await;
    }

    /// Something outside the work changed what can wake (the clock moved, a token was answered).
    pub(crate) fn poke(&self) {
        self.changed.notify_waiters();
    }
}

/// A running execution or Map iteration; dropped when it ends (or is stopped).
pub(crate) struct Scope {
    work: Arc<Work>,
    map: Option<u64>,
}

impl Drop for Scope {
    fn drop(&mut self) {
        let map = self.map;
        self.work.change(|s| {
            s.scopes -= 1;
            if let Some(m) = map.and_then(|id| s.maps.get_mut(&id)) {
                m.ended += 1;
            }
        });
    }
}

pub(crate) struct Invocation {
    work: Arc<Work>,
}

impl Drop for Invocation {
    fn drop(&mut self) {
        self.work.change(|s| s.invocations -= 1);
    }
}

pub(crate) struct Parked {
    work: Arc<Work>,
    id: u64,
}

impl Drop for Parked {
    fn drop(&mut self) {
        let id = self.id;
        self.work.change(|s| {
            s.parked.remove(&id);
        });
    }
}

/// One Map state's iterations, while it runs.
pub(crate) struct MapProgress {
    work: Arc<Work>,
    id: u64,
}

impl MapProgress {
    /// An iteration starts.
    pub(crate) fn iteration(&self) -> Scope {
        let id = self.id;
        self.work.change(|s| {
            s.scopes += 1;
            if let Some(m) = s.maps.get_mut(&id) {
                m.started += 1;
            }
        });
        Scope { work: self.work.clone(), map: Some(id) }
    }

    /// The Map waits for its next iteration to end.
    pub(crate) fn wait(&self) -> Parked {
        self.work.park(Park::Iterations(self.id))
    }

    /// The Map has taken up an ended iteration's result.
    pub(crate) fn taken(&self) {
        let id = self.id;
        self.work.change(|s| {
            if let Some(m) = s.maps.get_mut(&id) {
                m.taken += 1;
            }
        });
    }
}

impl Drop for MapProgress {
    fn drop(&mut self) {
        let id = self.id;
        self.work.change(|s| {
            s.maps.remove(&id);
        });
    }
}
