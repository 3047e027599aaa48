//! `pia diff`: two models → item-level changes → 別添3 rows (see issue 5).
