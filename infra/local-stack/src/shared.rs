//! What every route of the stack's HTTP front reaches: the running stack, the authorizer, the console's
//! directory. Built by the server when it starts, read by the local routes (`control`, `pki_routes`).

use crate::authorizer::Authorizer;
use crate::wiring::Stack;

pub struct Shared {
    pub stack: Stack,
    pub authorizer: Authorizer,
    /// What the web console lists (`/_local/people`, `/_local/addresses`, `/_local/definition`).
    pub directory: crate::console::Directory,
    /// API Gateway's throttle per route.
    pub edge_throttle: crate::edge_throttle::EdgeThrottle,
}
