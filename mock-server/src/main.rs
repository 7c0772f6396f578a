//! anypoint-mock-server: a local stand-in for Anypoint Platform's authorization server.

fn main() {}
