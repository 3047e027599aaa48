//! Value types of the form: 選択肢 (single choices), check-lists and dates.
//!
//! Option texts are not written here: they are data of the 様式 version (see [`crate::form`]).
//! A choice enum only knows the stable ids of its options, and the typed model (de)serialises
//! ids: the loader turns the option texts of the TOML into ids with the document's form
//! ([`crate::form::Form::to_ids`]), and [`crate::form::Form::texts_of`] turns a model back into the
//! texts the form prints. So a form whose option texts differ (another 様式 version) reads into
//! the same model.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A single-choice enum (選択肢) bound to a choice set of the form definition.
pub trait Choice: Sized + Copy + 'static {
    /// Name of the choice set in the form definition (`[choices.<SET>]`).
    const SET: &'static str;
    /// Every variant, in printed order.
    const ALL: &'static [Self];
    /// Stable id of the option (`[choices.<SET>].options[].id`).
    fn id(self) -> &'static str;

    fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.id() == id)
    }
    /// 1-based number of the option as printed (「2）十分である」).
    fn number(self) -> usize {
        Self::ALL
            .iter()
            .position(|v| v.id() == self.id())
            .map_or(0, |i| i + 1)
    }
}

/// Declares a choice enum whose variants map to option ids of a form choice set.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident = $set:literal { $($variant:ident = $id:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $crate::model::values::Choice for $name {
            const SET: &'static str = $set;
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::model::values::Choice::id(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::model::values::deserialize_choice(d)
            }
        }

        impl schemars::JsonSchema for $name {
            fn inline_schema() -> bool { true }
            fn schema_name() -> std::borrow::Cow<'static, str> { stringify!($name).into() }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $crate::model::values::choice_schema($set)
            }
        }
    };
}
pub(crate) use choice;

pub fn deserialize_choice<'de, D: Deserializer<'de>, C: Choice>(d: D) -> Result<C, D::Error> {
    let id = Cow::<str>::deserialize(d)?;
    C::from_id(&id).ok_or_else(|| {
        let allowed: Vec<&str> = C::ALL.iter().map(|c| c.id()).collect();
        de::Error::custom(format!(
            "選択肢の id「{id}」は {} にありません（{}）",
            C::SET,
            allowed.join("、")
        ))
    })
}

/// The JSON Schema key that marks a choice: `crate::schema` replaces it with the option texts of
/// the form the schema is generated for.
pub const SCHEMA_CHOICE: &str = "x-pia-choice";
/// The JSON Schema key that marks a check-list (see [`SCHEMA_CHOICE`]).
pub const SCHEMA_CHECKS: &str = "x-pia-checks";

/// JSON Schema of a choice, completed per form by [`crate::schema`].
pub fn choice_schema(set: &str) -> Schema {
    json_schema!({ "type": "string", SCHEMA_CHOICE: set })
}

/// A check-list set marker (`[checks.<SET>]` of the form definition).
pub trait CheckSet: 'static {
    const SET: &'static str;
}

/// The value of one checked option of a check-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckValue {
    /// A plain option: 「[ ○ ] 紙」.
    Checked,
    /// An option printed with 「（　）」 and its text: 「[ ○ ] その他 （ … ）」.
    Text(String),
    /// An option whose parenthesis holds a count: 「[ ○ ] 提供を行っている （ 25 ） 件」.
    Count(u64),
}

/// A check-list (複数選択): the checked options, in the form's order.
pub struct Checks<S: CheckSet> {
    /// (option id, value), sorted by the option's printed order.
    pub entries: Vec<(String, CheckValue)>,
    _set: PhantomData<S>,
}

impl<S: CheckSet> Checks<S> {
    /// A check-list with these (option id, value) entries, in the order given (the loader gives
    /// them in the form's order).
    pub fn new(entries: Vec<(String, CheckValue)>) -> Self {
        Checks {
            entries,
            _set: PhantomData,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Whether the option with this id is checked.
    pub fn has(&self, id: &str) -> bool {
        self.entries.iter().any(|(i, _)| i == id)
    }
    pub fn get(&self, id: &str) -> Option<&CheckValue> {
        self.entries.iter().find(|(i, _)| i == id).map(|(_, v)| v)
    }
    pub fn count(&self, id: &str) -> Option<u64> {
        match self.get(id) {
            Some(CheckValue::Count(n)) => Some(*n),
            _ => None,
        }
    }
    pub fn set() -> &'static str {
        S::SET
    }
}

impl<S: CheckSet> Default for Checks<S> {
    fn default() -> Self {
        Checks {
            entries: Vec::new(),
            _set: PhantomData,
        }
    }
}
impl<S: CheckSet> Clone for Checks<S> {
    fn clone(&self) -> Self {
        Checks {
            entries: self.entries.clone(),
            _set: PhantomData,
        }
    }
}
impl<S: CheckSet> PartialEq for Checks<S> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}
impl<S: CheckSet> fmt::Debug for Checks<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl<S: CheckSet> Serialize for Checks<S> {
    fn serialize<Ser: Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for (id, value) in &self.entries {
            match value {
                CheckValue::Checked => map.serialize_entry(id, &true)?,
                CheckValue::Text(t) => map.serialize_entry(id, t)?,
                CheckValue::Count(n) => map.serialize_entry(id, n)?,
            }
        }
        map.end()
    }
}

impl<'de, S: CheckSet> Deserialize<'de> for Checks<S> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<S>(PhantomData<S>);
        impl<'de, S: CheckSet> Visitor<'de> for V<S> {
            type Value = Checks<S>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("選択肢の id をキーとする表")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(id) = map.next_key::<String>()? {
                    let raw: RawCheck = map.next_value()?;
                    let value = match raw {
                        RawCheck::Bool(false) => continue,
                        RawCheck::Bool(true) => CheckValue::Checked,
                        RawCheck::Int(n) => CheckValue::Count(n),
                        RawCheck::Text(t) => CheckValue::Text(t),
                    };
                    entries.push((id, value));
                }
                Ok(Checks::new(entries))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawCheck {
    Bool(bool),
    Int(u64),
    Text(String),
}

impl<S: CheckSet> JsonSchema for Checks<S> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Checks_{}", S::SET).into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "object", SCHEMA_CHECKS: S::SET })
    }
}

/// A calendar date (TOML local date). Printed in 和暦 by the renderer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub fn new(y: i16, m: i8, d: i8) -> Option<Date> {
        jiff::civil::Date::new(y, m, d).ok().map(Date)
    }
    /// Today in the system's time zone (the one place pia reads the clock).
    pub fn today() -> Date {
        Date(jiff::Zoned::now().date())
    }
    pub fn year(self) -> i16 {
        self.0.year()
    }
    pub fn month(self) -> i8 {
        self.0.month()
    }
    pub fn day(self) -> i8 {
        self.0.day()
    }
    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        let span = self.0.until(other.0).unwrap_or_default();
        span.get_days() as i64
    }
    /// The date `years` calendar years later (clamped at month end).
    pub fn plus_months(self, months: i32) -> Date {
        Date(
            self.0
                .checked_add(jiff::Span::new().months(months))
                .unwrap_or(self.0),
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() == 3
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[2].len() == 2
            && let (Ok(y), Ok(m), Ok(d)) = (parts[0].parse(), parts[1].parse(), parts[2].parse())
            && let Some(date) = Date::new(y, m, d)
        {
            return Ok(date);
        }
        Err(format!("「{s}」は日付（YYYY-MM-DD）ではありません"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date" })
    }
}

/// A date range such as the public-comment period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Period {
    pub start: Option<Date>,
    pub end: Option<Date>,
}

impl Period {
    /// Inclusive number of days (「計31日間」 for 12/15–1/14).
    pub fn days(&self) -> Option<i64> {
        match (self.start, self.end) {
            (Some(s), Some(e)) if e >= s => Some(s.days_until(e) + 1),
            _ => None,
        }
    }
}
