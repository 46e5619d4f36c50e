//! The CKAN Action API (v3), read side, so CKAN clients (ckanapi, ckanext-harvest, uData's
//! harvester) read the portal as they read any CKAN: `/api/3/action/{name}` and
//! `/api/action/{name}`, GET and POST (JSON body), never a redirect, CKAN's envelope and error
//! types (CKAN's API guide, «Action API reference»). A body is an organization, a published dataset
//! a package, each data version a resource; the newest version is in the DataStore.

use std::sync::Arc;

use crate::index::{Entry, Snapshot, intersect, page_in};
use crate::publish::{self, Full};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use kernel::bodies::{self, Body};
use opendata_format::FieldType;
use serde_json::{Map, Value, json};

use shell::AppState;
use shell::error::AppError;

/// An action's failure, as CKAN reports it.
enum Fail {
    NotFound(String),
    Validation(Value),
    SearchQuery(String),
    Internal,
}

impl From<kernel::Error> for Fail {
    fn from(e: kernel::Error) -> Fail {
        tracing::error!(error = %e, "CKAN API action failed");
        Fail::Internal
    }
}

impl From<AppError> for Fail {
    fn from(e: AppError) -> Fail {
        tracing::error!(error = ?e, "CKAN API action failed");
        Fail::Internal
    }
}

type Outcome = Result<Value, Fail>;

fn reply(status: StatusCode, body: &Value) -> Response {
    let mut resp = (status, body.to_string()).into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json;charset=utf-8"));
    resp
}

/// Request parameters: the JSON object of a POST, or the query string of a GET (a repeated key
/// becomes a list; values stay text, as CKAN's schemas convert them).
fn params(method: &Method, query: Option<&str>, body: &[u8]) -> Result<Map<String, Value>, String> {
    if *method == Method::POST && !body.iter().all(u8::is_ascii_whitespace) {
        return match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err("Bad request: JSON Error: the body must be a JSON object".into()),
        };
    }
    let mut out = Map::new();
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned() {
        match out.get_mut(&k) {
            Some(Value::Array(list)) => list.push(Value::String(v)),
            Some(first) => *first = Value::Array(vec![first.clone(), Value::String(v)]),
            None => {
                out.insert(k, Value::String(v));
            }
        }
    }
    Ok(out)
}

pub async fn action(
    State(state): State<AppState>,
    method: Method,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let help = format!("{}/api/3/action/help_show?name={name}", state.cfg.public_url.trim_end_matches('/'));
    let p = match params(&method, query.as_deref(), &body) {
        Ok(p) => p,
        Err(message) => return reply(StatusCode::BAD_REQUEST, &Value::String(message)),
    };
    let outcome = match name.as_str() {
        "status_show" => status_show(&state).await,
        "package_list" => package_list(&state, &p).await,
        "package_show" => package_show(&state, &p).await,
        "package_search" => package_search(&state, &p).await,
        "organization_list" => organization_list(&state, &p).await,
        "organization_show" => organization_show(&state, &p).await,
        "group_list" => Ok(json!([])),
        "tag_list" => tag_list(&state).await,
        "resource_show" => resource_show(&state, &p).await,
        "datastore_search" => datastore_search(&state, &p).await,
        other => {
            return reply(
                StatusCode::BAD_REQUEST,
                &Value::String(format!("Bad request: Action name not known: {other}")),
            );
        }
    };
    match outcome {
        Ok(result) => reply(StatusCode::OK, &json!({ "help": help, "success": true, "result": result })),
        Err(fail) => {
            let (status, error) = match fail {
                Fail::NotFound(what) => (
                    StatusCode::NOT_FOUND,
                    json!({ "__type": "Not Found Error", "message": format!("Not found: {what}") }),
                ),
                Fail::Validation(mut fields) => {
                    fields["__type"] = json!("Validation Error");
                    (StatusCode::CONFLICT, fields)
                }
                Fail::SearchQuery(m) => (
                    StatusCode::BAD_REQUEST,
                    json!({ "__type": "Search Query Error", "message": format!("Search Query is invalid: {m}") }),
                ),
                Fail::Internal => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({ "__type": "Internal Server Error", "message": "Internal Server Error" }),
                ),
            };
            reply(status, &json!({ "help": help, "success": false, "error": error }))
        }
    }
}

/// CKAN's date format: naive UTC with microseconds.
fn ckan_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).strftime("%Y-%m-%dT%H:%M:%S.%6f").to_string())
        .unwrap_or_default()
}

fn text(p: &Map<String, Value>, key: &str) -> Option<String> {
    match p.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The furthest a list can be paged (a larger offset means the same: past the end).
const MAX_OFFSET: usize = 1_000_000_000;

fn number(p: &Map<String, Value>, key: &str, default: usize, max: usize) -> Result<usize, Fail> {
    match text(p, key) {
        None => Ok(default),
        Some(s) => match s.trim().parse::<usize>() {
            Ok(n) => Ok(n.min(max)),
            Err(_) => Err(Fail::Validation(json!({ key: ["Invalid integer"] }))),
        },
    }
}

/// A list parameter given as a JSON list, JSON text of one, a repeated key, or a comma list.
fn list(p: &Map<String, Value>, key: &str) -> Vec<String> {
    match p.get(key) {
        Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        Some(Value::String(s)) => match serde_json::from_str::<Vec<String>>(s) {
            Ok(v) => v,
            Err(_) => s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect(),
        },
        _ => Vec::new(),
    }
}

fn id_param(p: &Map<String, Value>, keys: &[&str]) -> Result<String, Fail> {
    keys.iter()
        .find_map(|k| text(p, k))
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| Fail::Validation(json!({ keys[0]: ["Missing value"] })))
}

async fn status_show(state: &AppState) -> Outcome {
    let portal = bodies::portal(&state.db).await?.map(|p| p.name).unwrap_or_default();
    Ok(json!({
        "site_title": format!("Открытые данные: {portal}"),
        "site_description": "Наборы открытых данных органов власти",
        "site_url": state.cfg.public_url.trim_end_matches('/'),
        "error_emails_to": null,
        "locale_default": "ru",
        "extensions": ["datastore"],
        "ckan_version": "2.11.0",
    }))
}

fn organization_dict(b: &Body, count: Option<usize>) -> Value {
    let mut o = json!({
        "id": b.slug, "name": b.slug, "title": b.full_name, "display_name": b.full_name,
        "description": b.powers, "image_url": "", "image_display_url": "", "created": ckan_time(b.created_at),
        "type": "organization", "state": "active", "is_organization": true, "approval_status": "approved",
    });
    if let Some(n) = count {
        o["package_count"] = json!(n);
    }
    o
}

fn resource_id(identifier: &str, stamp: &str) -> String {
    format!("{identifier}.{stamp}")
}

fn package_dict(state: &AppState, f: &Full, body: &Body) -> Value {
    let d = &f.dataset;
    let folder = publish::folder(&state.cfg.public_url, &d.identifier);
    let tags: Vec<Value> = d
        .keywords
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| json!({ "id": k, "name": k, "display_name": k, "state": "active", "vocabulary_id": null }))
        .collect();
    let newest = f.versions.last().map(|v| v.id);
    let resources: Vec<Value> = f
        .versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            json!({
                "id": resource_id(&d.identifier, &v.stamp),
                "package_id": d.identifier,
                "url": format!("{folder}/{}", v.file_name()),
                "name": v.file_name(),
                "description": v.provenance,
                "format": "CSV",
                "mimetype": "text/csv",
                "mimetype_inner": null,
                "size": v.bytes,
                "hash": format!("sha256:{}", v.sha256),
                "position": i,
                "state": "active",
                "created": ckan_time(v.created_at),
                "last_modified": ckan_time(v.created_at),
                "metadata_modified": ckan_time(v.created_at),
                "cache_url": null,
                "cache_last_updated": null,
                "url_type": null,
                "resource_type": null,
                "datastore_active": Some(v.id) == newest,
            })
        })
        .collect();
    json!({
        "id": d.identifier,
        "name": d.identifier.to_lowercase(),
        "title": d.title,
        "notes": d.description,
        "url": format!("{folder}/"),
        "version": f.versions.last().map(|v| v.stamp.clone()),
        "author": f.creator,
        "author_email": null,
        "maintainer": d.publisher_name,
        "maintainer_email": d.publisher_mbox,
        "license_id": "other-at",
        "license_title": d.licence,
        "isopen": true,
        "state": "active",
        "private": false,
        "type": "dataset",
        "owner_org": body.slug,
        "creator_user_id": null,
        "metadata_created": ckan_time(d.first_published_at.unwrap_or(d.created_at)),
        "metadata_modified": ckan_time(d.updated_at),
        "organization": organization_dict(body, None),
        "groups": [],
        "num_tags": tags.len(),
        "tags": tags,
        "extras": [
            { "key": "standardversion", "value": opendata_format::registry::STANDARD },
            { "key": "update_schedule", "value": d.schedule },
        ],
        "num_resources": resources.len(),
        "resources": resources,
        "relationships_as_subject": [],
        "relationships_as_object": [],
    })
}

/// Every published dataset with its body, in name order (the node's in-memory catalogue).
async fn catalogue(state: &AppState) -> Result<Arc<Snapshot>, Fail> {
    Ok(state.part::<crate::index::Catalogue>()?.entries(&state.db).await?)
}

/// A published dataset by its identifier or its name (the identifier in lower case).
async fn find_package(state: &AppState, id: &str) -> Result<(Full, Body), Fail> {
    let entries = catalogue(state).await?;
    let name = id.to_lowercase();
    let i = entries.binary_search_by(|e| e.name.cmp(&name)).map_err(|_| Fail::NotFound(id.to_string()))?;
    Ok(((*entries[i].full).clone(), (*entries[i].body).clone()))
}

async fn package_list(state: &AppState, p: &Map<String, Value>) -> Outcome {
    let names: Vec<String> = catalogue(state).await?.iter().map(|e| e.name.clone()).collect();
    let offset = number(p, "offset", 0, MAX_OFFSET)?;
    let limit = number(p, "limit", names.len(), usize::MAX)?;
    Ok(json!(names.into_iter().skip(offset).take(limit).collect::<Vec<_>>()))
}

async fn package_show(state: &AppState, p: &Map<String, Value>) -> Outcome {
    let id = id_param(p, &["id", "name"])?;
    let (f, body) = find_package(state, &id).await?;
    Ok(package_dict(state, &f, &body))
}

/// The values of a field CKAN's search knows, for filtering and facets.
fn field_values(f: &Full, body: &Body, field: &str) -> Vec<String> {
    match field {
        "organization" | "owner_org" => vec![body.slug.clone()],
        "tags" => f.dataset.keywords.split(',').map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect(),
        "res_format" => vec!["CSV".into()],
        "name" => vec![f.dataset.identifier.to_lowercase()],
        "license_id" => vec!["other-at".into()],
        "groups" => vec![],
        _ => vec![],
    }
}

/// One clause of `q`/`fq`, read once per request: `field:value`, `-field:value`,
/// `field:"quoted value"`, or plain words (each must begin a word of the text, as a stem does).
struct Clause {
    negated: bool,
    field: Option<String>,
    /// The value, in lower case.
    value: String,
    /// The words, as the index splits them.
    words: Vec<String>,
}

fn parse_clause(clause: &str) -> Result<Clause, Fail> {
    let (negated, clause) = match clause.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, clause.strip_prefix('+').unwrap_or(clause)),
    };
    let words = |s: &str| crate::index::words(s).collect();
    match clause.split_once(':') {
        Some((field, value)) if field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && field != "*" => {
            let known = [
                "organization",
                "owner_org",
                "tags",
                "res_format",
                "name",
                "license_id",
                "groups",
                "title",
                "text",
                "capacity",
                "state",
            ];
            if !known.contains(&field) {
                return Err(Fail::SearchQuery(format!("unknown field {field}")));
            }
            let value = value.trim_matches('"');
            Ok(Clause { negated, field: Some(field.to_string()), value: value.to_lowercase(), words: words(value) })
        }
        _ if clause.trim() == "*:*" => Ok(Clause { negated, field: None, value: String::new(), words: Vec::new() }),
        _ => Ok(Clause { negated, field: None, value: String::new(), words: words(clause) }),
    }
}

fn matches(e: &Entry, c: &Clause) -> bool {
    let hit = match c.field.as_deref() {
        None | Some("text") => c.words.iter().all(|w| e.has_word(w)),
        Some("title") => {
            let title: Vec<String> = crate::index::words(&e.full.dataset.title).collect();
            c.words.iter().all(|w| title.iter().any(|t| t.starts_with(w.as_str())))
        }
        Some("capacity") => c.value == "public",
        Some("state") => c.value == "active",
        Some("organization" | "owner_org") => e.body.slug.eq_ignore_ascii_case(&c.value),
        Some("tags") => e.tags.contains(&c.value),
        Some("name") => e.name == c.value,
        Some(field) => field_values(&e.full, &e.body, field).iter().any(|v| v.eq_ignore_ascii_case(&c.value)),
    };
    hit != c.negated
}

/// Splits a query into clauses joined by AND (OR is not supported and says so).
fn clauses(q: &str) -> Result<Vec<String>, Fail> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for token in q.split_whitespace() {
        if token == "AND" && !quoted {
            continue;
        }
        if token == "OR" && !quoted {
            return Err(Fail::SearchQuery("OR is not supported; send one query per alternative".into()));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(token);
        quoted ^= token.matches('"').count() % 2 == 1;
        let field_clause = current.contains(':');
        if !quoted && field_clause {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    Ok(out)
}

async fn package_search(state: &AppState, p: &Map<String, Value>) -> Outcome {
    let rows = number(p, "rows", 10, 1000)?;
    let start = number(p, "start", 0, usize::MAX)?;
    let q = text(p, "q").unwrap_or_default();
    let mut filters = clauses(&q)?;
    if let Some(fq) = text(p, "fq") {
        filters.extend(clauses(&fq)?);
    }
    filters.extend(list(p, "fq_list"));
    let filters: Vec<Clause> = filters.iter().map(|c| parse_clause(c)).collect::<Result<_, _>>()?;
    let snap = catalogue(state).await?;
    let found = search(&snap, &filters);
    let sort = text(p, "sort").unwrap_or_else(|| "metadata_modified desc".into());
    let key = sort.split(',').next().unwrap_or_default().trim().to_string();
    let page = page_of(&snap, &found, &key, start, rows)?;
    let facet_fields = list(p, "facet.field");
    let mut facets = Map::new();
    let mut search_facets = Map::new();
    for field in &facet_fields {
        // (name, display name, count) of each value found.
        let items: Vec<(&str, &str, usize)> = match field.as_str() {
            "organization" | "owner_org" => {
                let mut counts = vec![0usize; snap.index.bodies.len()];
                for &p in &found {
                    counts[snap[p as usize].body_no as usize] += 1;
                }
                let named = snap.index.bodies.iter().zip(counts);
                named.filter(|(_, n)| *n > 0).map(|((b, _), n)| (b.slug.as_str(), b.full_name.as_str(), n)).collect()
            }
            "tags" => {
                let mut counts = vec![0usize; snap.index.tags.len()];
                for &p in &found {
                    for &t in &snap[p as usize].tag_ids {
                        counts[t as usize] += 1;
                    }
                }
                let named = snap.index.tags.iter().zip(counts);
                named.filter(|(_, n)| *n > 0).map(|((t, _), n)| (&**t, &**t, n)).collect()
            }
            "res_format" if !found.is_empty() => vec![("CSV", "CSV", found.len())],
            "license_id" if !found.is_empty() => vec![("other-at", "other-at", found.len())],
            _ => Vec::new(),
        };
        facets.insert(field.clone(), items.iter().map(|(name, _, n)| (name.to_string(), json!(n))).collect());
        let mut items: Vec<Value> = items
            .iter()
            .map(|(name, display, n)| json!({ "name": name, "display_name": display, "count": n }))
            .collect();
        items.sort_by(|a, b| b["display_name"].as_str().cmp(&a["display_name"].as_str()));
        search_facets.insert(field.clone(), json!({ "title": field, "items": items }));
    }
    let results: Vec<Value> =
        page.iter().map(|&p| package_dict(state, &snap[p as usize].full, &snap[p as usize].body)).collect();
    Ok(json!({
        "count": found.len(),
        "results": results,
        "facets": facets,
        "search_facets": search_facets,
        "sort": sort,
    }))
}

/// The positions of the entries every clause admits, ascending (name order). What the index
/// knows — a body, a keyword, the words of the text — is intersected list by list; the other
/// clauses (negations, other fields) are checked on what is left.
fn search(snap: &Snapshot, filters: &[Clause]) -> Vec<u32> {
    let ix = &snap.index;
    let mut found: Option<Vec<u32>> = None;
    let mut rest: Vec<&Clause> = Vec::new();
    let narrow = |found: &mut Option<Vec<u32>>, list: &[u32]| {
        *found = Some(match found.take() {
            None => list.to_vec(),
            Some(f) => intersect(&f, list),
        });
    };
    for c in filters {
        match (c.negated, c.field.as_deref()) {
            (false, Some("organization" | "owner_org")) => narrow(&mut found, ix.of_body(&c.value)),
            (false, Some("tags")) => narrow(&mut found, ix.with_tag(&c.value)),
            (false, None | Some("text")) => {
                for w in &c.words {
                    narrow(&mut found, &ix.with_word(w));
                }
            }
            _ => rest.push(c),
        }
    }
    let mut found = found.unwrap_or_else(|| (0..u32::try_from(snap.len()).unwrap_or(u32::MAX)).collect());
    if !rest.is_empty() {
        found.retain(|&p| rest.iter().all(|c| matches(&snap[p as usize], c)));
    }
    found
}

/// The requested page of what was found, in the requested order; only that page is ordered.
fn page_of(snap: &Snapshot, found: &[u32], key: &str, start: usize, rows: usize) -> Result<Vec<u32>, Fail> {
    let entry = |p: &u32| &snap[*p as usize];
    type Order = fn(&Entry, &Entry) -> std::cmp::Ordering;
    let order: Order = match key {
        // Found entries are in name order already.
        "name asc" | "id asc" => return Ok(found.iter().skip(start).take(rows).copied().collect()),
        "name desc" | "id desc" => return Ok(found.iter().rev().skip(start).take(rows).copied().collect()),
        "metadata_modified desc" | "score desc" => {
            // Many found: walk the catalogue's newest-first list, keeping what was found.
            if found.len() * 16 >= snap.len() {
                return Ok(page_in(&snap.index.newest, found, snap.len(), start, rows));
            }
            |a, b| b.updated_at.cmp(&a.updated_at).then(a.name.cmp(&b.name))
        }
        "metadata_modified asc" => |a, b| a.updated_at.cmp(&b.updated_at).then(a.name.cmp(&b.name)),
        "title_string asc" => |a, b| a.full.dataset.title.cmp(&b.full.dataset.title).then(a.name.cmp(&b.name)),
        "title_string desc" => |a, b| b.full.dataset.title.cmp(&a.full.dataset.title).then(a.name.cmp(&b.name)),
        other => return Err(Fail::SearchQuery(format!("cannot sort by {other}"))),
    };
    let mut found = found.to_vec();
    let cmp = |a: &u32, b: &u32| order(entry(a), entry(b));
    let want = start.saturating_add(rows).min(found.len());
    if want > 0 && want < found.len() {
        found.select_nth_unstable_by(want - 1, cmp);
        found.truncate(want);
    }
    found.sort_by(cmp);
    Ok(found.into_iter().skip(start).take(rows).collect())
}

async fn organization_list(state: &AppState, p: &Map<String, Value>) -> Outcome {
    let all_fields = text(p, "all_fields").is_some_and(|v| v == "true" || v == "True" || v == "1");
    let published = catalogue(state).await?;
    let mut bodies = state.directory().await?.bodies.clone();
    bodies.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    let offset = number(p, "offset", 0, MAX_OFFSET)?;
    let limit = number(p, "limit", if all_fields { 25 } else { 1000 }, if all_fields { 25 } else { 1000 })?;
    let page = bodies.iter().skip(offset).take(limit);
    if all_fields {
        Ok(json!(
            page.map(|b| organization_dict(b, Some(published.iter().filter(|e| e.body.id == b.id).count())))
                .collect::<Vec<_>>()
        ))
    } else {
        Ok(json!(page.map(|b| b.slug.clone()).collect::<Vec<_>>()))
    }
}

async fn organization_show(state: &AppState, p: &Map<String, Value>) -> Outcome {
    let id = id_param(p, &["id"])?;
    let body = state.directory().await?.body(&id).cloned().ok_or_else(|| Fail::NotFound(id.clone()))?;
    let entries = catalogue(state).await?;
    let published: Vec<&Entry> = entries.iter().filter(|e| e.body.id == body.id).collect();
    let mut o = organization_dict(&body, Some(published.len()));
    if text(p, "include_datasets").is_some_and(|v| v == "true" || v == "True") {
        o["packages"] = json!(published.iter().map(|e| package_dict(state, &e.full, &e.body)).collect::<Vec<_>>());
    }
    Ok(o)
}

async fn tag_list(state: &AppState) -> Outcome {
    let mut tags: Vec<String> =
        catalogue(state).await?.iter().flat_map(|e| field_values(&e.full, &e.body, "tags")).collect();
    tags.sort();
    tags.dedup();
    Ok(json!(tags))
}

/// The package and version a resource id names.
async fn find_resource(state: &AppState, id: &str) -> Result<(Full, Body, usize), Fail> {
    let (identifier, stamp) = id.rsplit_once('.').ok_or_else(|| Fail::NotFound(id.to_string()))?;
    let (f, body) = find_package(state, identifier).await.map_err(|_| Fail::NotFound(id.to_string()))?;
    let i = f.versions.iter().position(|v| v.stamp == stamp).ok_or_else(|| Fail::NotFound(id.to_string()))?;
    Ok((f, body, i))
}

async fn resource_show(state: &AppState, p: &Map<String, Value>) -> Outcome {
    let id = id_param(p, &["id"])?;
    let (f, body, i) = find_resource(state, &id).await?;
    let package = package_dict(state, &f, &body);
    Ok(package["resources"][i].clone())
}

/// A filter value as the cell text it must equal: strings as they are, numbers as written.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn datastore_type(kind: &FieldType) -> &'static str {
    match kind {
        FieldType::Integer => "int",
        FieldType::Decimal | FieldType::Latitude | FieldType::Longitude => "numeric",
        FieldType::Date => "date",
        FieldType::DateTime => "timestamp",
        FieldType::Boolean => "bool",
        _ => "text",
    }
}

fn typed(kind: &FieldType, v: &str) -> Value {
    if v.is_empty() {
        return Value::Null;
    }
    match kind {
        FieldType::Integer => v.parse::<i64>().map(Value::from).unwrap_or_else(|_| v.into()),
        FieldType::Decimal | FieldType::Latitude | FieldType::Longitude => {
            v.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or_else(|| v.into())
        }
        FieldType::Boolean => Value::Bool(v.eq_ignore_ascii_case("true") || v == "1"),
        _ => v.into(),
    }
}

/// The records of the newest data version of a dataset: q (text in any field), filters
/// (field → value or list of values), fields, limit, offset, total.
async fn datastore_search(state: &AppState, p: &Map<String, Value>) -> Outcome {
    let id = id_param(p, &["resource_id", "id"])?;
    let (f, _, i) = find_resource(state, &id).await?;
    if i + 1 != f.versions.len() {
        return Err(Fail::NotFound(format!("{id} (only the newest version is in the DataStore)")));
    }
    let version = &f.versions[i];
    // The catalogue keeps no structures: read the version's own.
    let structure = crate::store::structures(&state.db, f.dataset.id)
        .await?
        .into_iter()
        .find(|s| s.id == version.structure_id)
        .map(|s| s.structure)
        .ok_or(Fail::Internal)?;
    let bytes = state.storage.get(&version.file_key).await.map_err(|e| {
        tracing::error!(error = %e, "cannot read a data version");
        Fail::Internal
    })?;
    let rows = opendata_format::csv::records(&bytes).map_err(|_| Fail::Internal)?;
    let limit = number(p, "limit", 100, 32_000)?;
    let offset = number(p, "offset", 0, MAX_OFFSET)?;
    let wanted: Vec<String> = list(p, "fields");
    for w in &wanted {
        if w != "_id" && !structure.fields.iter().any(|x| &x.name == w) {
            return Err(Fail::Validation(json!({ "fields": [format!("field \"{w}\" not in the table")] })));
        }
    }
    let filters: Map<String, Value> = match p.get("filters") {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => m,
            _ => return Err(Fail::Validation(json!({ "filters": ["Not a JSON object"] }))),
        },
        Some(_) => return Err(Fail::Validation(json!({ "filters": ["Not a JSON object"] }))),
    };
    for k in filters.keys() {
        if !structure.fields.iter().any(|x| &x.name == k) {
            return Err(Fail::Validation(json!({ "filters": [format!("field \"{k}\" not in the table")] })));
        }
    }
    let q = text(p, "q").unwrap_or_default().to_lowercase();
    let mut matched = Vec::new();
    for (n, (_, cells)) in rows.iter().skip(1).enumerate() {
        let cell = |name: &str| {
            structure
                .fields
                .iter()
                .position(|x| x.name == name)
                .and_then(|c| cells.get(c))
                .map(String::as_str)
                .unwrap_or("")
        };
        let by_filters = filters.iter().all(|(k, v)| match v {
            Value::Array(a) => a.iter().any(|x| as_text(x) == cell(k)),
            other => as_text(other) == cell(k),
        });
        let by_q = q.is_empty() || cells.iter().any(|c| c.to_lowercase().contains(&q));
        if by_filters && by_q {
            matched.push((n + 1, cells));
        }
    }
    let total = matched.len();
    let records: Vec<Value> = matched
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(n, cells)| {
            let mut r = Map::new();
            if wanted.is_empty() || wanted.iter().any(|w| w == "_id") {
                r.insert("_id".into(), json!(n));
            }
            for (c, field) in structure.fields.iter().enumerate() {
                if wanted.is_empty() || wanted.contains(&field.name) {
                    r.insert(field.name.clone(), typed(&field.kind, cells.get(c).map(String::as_str).unwrap_or("")));
                }
            }
            Value::Object(r)
        })
        .collect();
    let mut fields = vec![json!({ "id": "_id", "type": "int" })];
    fields.extend(
        structure.fields.iter().filter(|x| wanted.is_empty() || wanted.contains(&x.name)).map(
            |x| json!({ "id": x.name, "type": datastore_type(&x.kind), "info": { "label": x.ru, "notes": x.en } }),
        ),
    );
    let base = format!("/api/3/action/datastore_search?resource_id={id}");
    let mut links = json!({ "start": base, "next": format!("{base}&offset={}", offset.saturating_add(limit)) });
    if offset > 0 {
        links["prev"] = json!(format!("{base}&offset={}", offset.saturating_sub(limit)));
    }
    Ok(json!({
        "resource_id": id,
        "fields": fields,
        "records": records,
        "total": total,
        "total_was_estimated": false,
        "limit": limit,
        "offset": offset,
        "filters": filters,
        "_links": links,
    }))
}
