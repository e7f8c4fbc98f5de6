//! ndcore
