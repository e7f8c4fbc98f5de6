mod core;
mod fmt;
mod npy;
mod fixtures;
mod gradient;
mod calc_ops;
mod beyond;
