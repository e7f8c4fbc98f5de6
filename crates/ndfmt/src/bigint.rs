//! Just enough unsigned big-integer arithmetic for exact Dragon4.
//!
//! Values of f64 need up to about 2^1100 once scaled by powers of ten, so a
//! plain `Vec<u32>` of limbs is plenty; the operations are the handful the
//! digit loop needs.

use std::cmp::Ordering;

/// Unsigned integer, little-endian `u32` limbs, no zero limbs at the top.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BigUint {
    limbs: Vec<u32>,
}

impl BigUint {
    pub(crate) fn from_u64(v: u64) -> Self {
        let mut b = BigUint {
            limbs: vec![v as u32, (v >> 32) as u32],
        };
        b.trim();
        b
    }

    /// `2^n`.
    pub(crate) fn pow2(n: u32) -> Self {
        let mut limbs = vec![0u32; (n / 32) as usize + 1];
        if let Some(top) = limbs.last_mut() {
            *top = 1 << (n % 32);
        }
        BigUint { limbs }
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    pub(crate) fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in &mut self.limbs {
            let p = u64::from(*limb) * u64::from(m) + carry;
            *limb = p as u32;
            carry = p >> 32;
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
        self.trim();
    }

    /// `self *= 10^n`.
    pub(crate) fn mul_pow10(&mut self, mut n: u32) {
        while n >= 9 {
            self.mul_small(1_000_000_000);
            n -= 9;
        }
        if n > 0 {
            self.mul_small(10u32.pow(n));
        }
    }

    /// `self <<= bits`.
    pub(crate) fn shl(&mut self, bits: u32) {
        if self.is_zero() {
            return;
        }
        let words = (bits / 32) as usize;
        let rest = bits % 32;
        if rest != 0 {
            let mut carry = 0u32;
            for limb in &mut self.limbs {
                let next = *limb >> (32 - rest);
                *limb = (*limb << rest) | carry;
                carry = next;
            }
            if carry != 0 {
                self.limbs.push(carry);
            }
        }
        if words > 0 {
            self.limbs.splice(0..0, std::iter::repeat_n(0, words));
        }
    }

    pub(crate) fn add(&self, other: &BigUint) -> BigUint {
        let (long, short) = if self.limbs.len() >= other.limbs.len() {
            (&self.limbs, &other.limbs)
        } else {
            (&other.limbs, &self.limbs)
        };
        let mut limbs = Vec::with_capacity(long.len() + 1);
        let mut carry = 0u64;
        for (i, &a) in long.iter().enumerate() {
            let b = short.get(i).copied().unwrap_or(0);
            let s = u64::from(a) + u64::from(b) + carry;
            limbs.push(s as u32);
            carry = s >> 32;
        }
        if carry != 0 {
            limbs.push(carry as u32);
        }
        BigUint { limbs }
    }

    /// `self -= other`; the caller guarantees `self >= other`.
    fn sub_assign(&mut self, other: &BigUint) {
        let mut borrow = 0i64;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let b = i64::from(other.limbs.get(i).copied().unwrap_or(0));
            let mut d = i64::from(*limb) - b - borrow;
            borrow = 0;
            if d < 0 {
                d += 1 << 32;
                borrow = 1;
            }
            *limb = d as u32;
        }
        self.trim();
    }

    /// Replaces `self` by `self mod divisor` and returns `self / divisor`,
    /// for the small quotients (0..=9) of the digit loop.
    pub(crate) fn divrem_small(&mut self, divisor: &BigUint) -> u32 {
        let mut q = 0;
        while *self >= *divisor {
            self.sub_assign(divisor);
            q += 1;
        }
        q
    }
}

impl Ord for BigUint {
    fn cmp(&self, other: &Self) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }
}

impl PartialOrd for BigUint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::BigUint;

    fn value(b: &BigUint) -> u128 {
        b.limbs
            .iter()
            .rev()
            .fold(0u128, |acc, &l| (acc << 32) | u128::from(l))
    }

    #[test]
    fn arithmetic_matches_u128() {
        let mut a = BigUint::from_u64(0xdead_beef_1234_5678);
        a.shl(37);
        assert_eq!(value(&a), 0xdead_beef_1234_5678u128 << 37);
        a.mul_pow10(3);
        let expect = (0xdead_beef_1234_5678u128 << 37) * 1000;
        assert_eq!(value(&a), expect);
        let b = BigUint::pow2(70);
        assert_eq!(value(&a.add(&b)), expect + (1u128 << 70));
        let mut r = BigUint::from_u64(97);
        assert_eq!(r.divrem_small(&BigUint::from_u64(10)), 9);
        assert_eq!(value(&r), 7);
        assert!(BigUint::from_u64(0).is_zero());
    }
}
