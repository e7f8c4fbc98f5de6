mod core;
mod fmt;
