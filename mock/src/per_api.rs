//! One value per API, in a named field each, as [`MockCredentials`](crate::MockCredentials)
//! keeps its credentials: a value is reached by its API's name, never by a position that
//! must agree with the order of [`Api::ALL`].

use std::ops::{Index, IndexMut};

use crate::Api;

/// A value for each of the five APIs: `faults.ovh`, or `faults[Api::Ovh]` when the API
/// is only known at run time.
///
/// ```
/// use signed_api_mock::{Api, Faults, PerApi};
/// let mut faults = PerApi::<Faults>::default();
/// faults.qredo = Faults::none().error_rate(1.0);
/// assert_eq!(faults[Api::Qredo].error_rate, 1.0);
/// assert_eq!(faults.get(Api::Ovh), &Faults::none());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PerApi<T> {
    /// OVH's.
    pub ovh: T,
    /// nOps'.
    pub nops: T,
    /// Qredo's.
    pub qredo: T,
    /// Armor's.
    pub armor: T,
    /// S3's.
    pub s3: T,
}

impl<T> PerApi<T> {
    /// The value `make` gives for each API (called in the order of [`Api::ALL`]).
    pub fn from_fn(mut make: impl FnMut(Api) -> T) -> Self {
        PerApi {
            ovh: make(Api::Ovh),
            nops: make(Api::Nops),
            qredo: make(Api::Qredo),
            armor: make(Api::Armor),
            s3: make(Api::S3),
        }
    }

    /// The value of one API.
    pub fn get(&self, api: Api) -> &T {
        match api {
            Api::Ovh => &self.ovh,
            Api::Nops => &self.nops,
            Api::Qredo => &self.qredo,
            Api::Armor => &self.armor,
            Api::S3 => &self.s3,
        }
    }

    /// The value of one API, to change.
    pub fn get_mut(&mut self, api: Api) -> &mut T {
        match api {
            Api::Ovh => &mut self.ovh,
            Api::Nops => &mut self.nops,
            Api::Qredo => &mut self.qredo,
            Api::Armor => &mut self.armor,
            Api::S3 => &mut self.s3,
        }
    }

    /// Each value turned by `f`, kept under the same API.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> PerApi<U> {
        PerApi {
            ovh: f(self.ovh),
            nops: f(self.nops),
            qredo: f(self.qredo),
            armor: f(self.armor),
            s3: f(self.s3),
        }
    }

    /// References to the values, to [`map`](Self::map) without taking them.
    pub fn as_ref(&self) -> PerApi<&T> {
        PerApi {
            ovh: &self.ovh,
            nops: &self.nops,
            qredo: &self.qredo,
            armor: &self.armor,
            s3: &self.s3,
        }
    }

    /// Each API with its value, in the order of [`Api::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (Api, &T)> {
        Api::ALL.into_iter().map(move |api| (api, self.get(api)))
    }
}

impl<T> Index<Api> for PerApi<T> {
    type Output = T;

    fn index(&self, api: Api) -> &T {
        self.get(api)
    }
}

impl<T> IndexMut<Api> for PerApi<T> {
    fn index_mut(&mut self, api: Api) -> &mut T {
        self.get_mut(api)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_api_reaches_its_own_field() {
        let names = PerApi::from_fn(Api::name);
        assert_eq!(
            names,
            PerApi {
                ovh: "ovh",
                nops: "nops",
                qredo: "qredo",
                armor: "armor",
                s3: "sigv4",
            }
        );
        for api in Api::ALL {
            assert_eq!(names[api], api.name());
        }
        let mut counts = PerApi::<u32>::default();
        counts[Api::Armor] += 2;
        *counts.get_mut(Api::Nops) += 1;
        counts[Api::S3] += 3;
        assert_eq!(
            (
                counts.ovh,
                counts.nops,
                counts.qredo,
                counts.armor,
                counts.s3
            ),
            (0, 1, 0, 2, 3)
        );
        let order: Vec<Api> = counts.iter().map(|(api, _)| api).collect();
        assert_eq!(order, Api::ALL);
        assert_eq!(counts.map(|count| count * 10).armor, 20);
    }
}
