//! The directory: the portal, its bodies, its calendar of working days and its staff accounts —
//! what nearly every page reads and staff change rarely — kept in each node's memory (see
//! [`crate::snapshot`]), with the lookups pages need (a body by its address or number, its chain
//! of parents, its subordinate organisations) answered without the database.

use std::collections::HashMap;
use std::sync::Arc;

use deadlines::Calendar;
use kernel::bodies::{Body, Portal};
use kernel::staff::StaffUser;
use kernel::{Config, Db};

pub struct Directory {
    /// None before the portal is set up.
    pub portal: Option<Portal>,
    /// Every body, in the order of their short names.
    pub bodies: Vec<Body>,
    pub calendar: Arc<Calendar>,
    /// Every staff account with its roles (disabled ones too), by e-mail.
    pub users: Vec<StaffUser>,
    /// The portal as pages name it (a placeholder before it is set up), shared by every page.
    pub shown: Arc<Portal>,
    /// Every body as an option of a form's list (slug, full name), written once.
    pub body_options: Arc<[crate::forms::Prepared]>,
    by_slug: HashMap<String, usize>,
    by_id: HashMap<i64, usize>,
}

impl Directory {
    pub async fn load(db: &Db, cfg: &Config) -> kernel::Result<Directory> {
        let portal = kernel::bodies::portal(db).await?;
        let bodies = kernel::bodies::list(db).await?;
        let calendar = Arc::new(kernel::calendar::calendar(db, cfg).await?);
        let users = kernel::staff::list_users(db).await?;
        Ok(Directory::new(portal, bodies, calendar, users))
    }

    pub fn new(portal: Option<Portal>, bodies: Vec<Body>, calendar: Arc<Calendar>, users: Vec<StaffUser>) -> Directory {
        let by_slug = bodies.iter().enumerate().map(|(i, b)| (b.slug.clone(), i)).collect();
        let by_id = bodies.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
        let body_options = bodies.iter().map(|b| crate::forms::Prepared::new(&b.slug, &b.full_name)).collect();
        let shown = Arc::new(portal.clone().unwrap_or_else(placeholder_portal));
        Directory { portal, bodies, calendar, users, shown, body_options, by_slug, by_id }
    }

    pub fn body(&self, slug: &str) -> Option<&Body> {
        self.by_slug.get(slug).map(|&i| &self.bodies[i])
    }

    pub fn body_by_id(&self, id: i64) -> Option<&Body> {
        self.by_id.get(&id).map(|&i| &self.bodies[i])
    }

    /// The body itself and every body above it, nearest first (cycles cut, as the database's
    /// recursive query cuts them at 50 levels).
    pub fn ancestors(&self, id: i64) -> Vec<&Body> {
        let mut chain = Vec::new();
        let mut next = self.body_by_id(id);
        while let Some(b) = next {
            if chain.len() > 50 {
                break;
            }
            chain.push(b);
            next = b.parent_id.and_then(|p| self.body_by_id(p));
        }
        chain
    }

    /// The numbers of [`Directory::ancestors`], as scope checks take them.
    pub fn chain(&self, id: i64) -> Vec<i64> {
        self.ancestors(id).iter().map(|b| b.id).collect()
    }

    /// Subordinate organisations of a body, in the order of their short names.
    pub fn children(&self, id: i64) -> impl Iterator<Item = &Body> {
        self.bodies.iter().filter(move |b| b.parent_id == Some(id))
    }

    /// Bodies without a parent, in the order of their short names.
    pub fn top(&self) -> impl Iterator<Item = &Body> {
        self.bodies.iter().filter(|b| b.parent_id.is_none())
    }
}

/// What pages call the portal before it is set up (or when it cannot be read).
pub fn placeholder_portal() -> Portal {
    Portal {
        name: "Glasnost".into(),
        kind: "region".into(),
        email: String::new(),
        phone: String::new(),
        address: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(id: i64, parent_id: Option<i64>, slug: &str) -> Body {
        Body {
            id,
            parent_id,
            slug: slug.into(),
            full_name: slug.into(),
            short_name: slug.into(),
            inn: String::new(),
            ogrn: String::new(),
            head_name: String::new(),
            head_position: String::new(),
            phone: String::new(),
            email: String::new(),
            website: String::new(),
            address: String::new(),
            reception_hours: String::new(),
            powers: String::new(),
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn chains_children_and_lookups() {
        let d = Directory::new(
            None,
            vec![body(1, None, "a"), body(2, Some(1), "b"), body(3, Some(2), "c"), body(4, None, "d")],
            Arc::new(Calendar::federal()),
            Vec::new(),
        );
        assert_eq!(d.chain(3), vec![3, 2, 1]);
        assert_eq!(d.chain(4), vec![4]);
        assert!(d.chain(99).is_empty());
        assert_eq!(d.body("c").map(|b| b.id), Some(3));
        assert_eq!(d.children(1).map(|b| b.id).collect::<Vec<_>>(), vec![2]);
        assert_eq!(d.top().map(|b| b.id).collect::<Vec<_>>(), vec![1, 4]);
        assert_eq!(d.shown.name, "Glasnost");
    }

    #[test]
    fn a_cycle_does_not_hang() {
        let d = Directory::new(
            None,
            vec![body(1, Some(2), "a"), body(2, Some(1), "b")],
            Arc::new(Calendar::federal()),
            Vec::new(),
        );
        assert_eq!(d.chain(1).len(), 51);
    }
}
