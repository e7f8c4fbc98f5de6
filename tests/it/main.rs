mod alloc;
mod beyond;
mod calc_ops;
mod core;
mod fixtures;
mod fmt;
mod gradient;
mod npy;
