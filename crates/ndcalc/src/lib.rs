//! ndcalc
