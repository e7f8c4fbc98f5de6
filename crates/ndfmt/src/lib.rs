//! ndfmt
