mod core;
mod fmt;
mod npy;
