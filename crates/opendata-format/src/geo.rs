//! Data with coordinates (a latitude and a longitude field, EPSG:4326) as GeoJSON, and the
//! points for a map drawn without any external tile service.

use crate::structure::{FieldType, Structure};

/// One located row: longitude, latitude, and the row's cells by field name.
pub struct Point {
    pub lon: f64,
    pub lat: f64,
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// The located rows of a data file; None when the structure has no coordinate pair.
pub fn points(structure: &Structure, data: &[u8]) -> Option<Vec<Point>> {
    let lat = structure.fields.iter().position(|f| f.kind == FieldType::Latitude)?;
    let lon = structure.fields.iter().position(|f| f.kind == FieldType::Longitude)?;
    let rows = crate::csv::records(data).ok()?;
    let header = &rows.first()?.1;
    let col = |i: usize| header.iter().position(|h| *h == structure.fields[i].name);
    let (lat_c, lon_c) = (col(lat)?, col(lon)?);
    Some(
        rows.iter()
            .skip(1)
            .filter_map(|(_, cells)| {
                let lat: f64 = cells.get(lat_c)?.parse().ok()?;
                let lon: f64 = cells.get(lon_c)?.parse().ok()?;
                let properties = header
                    .iter()
                    .zip(cells)
                    .enumerate()
                    .filter(|(i, _)| *i != lat_c && *i != lon_c)
                    .map(|(_, (h, v))| (h.clone(), serde_json::Value::String(v.clone())))
                    .collect();
                Some(Point { lon, lat, properties })
            })
            .collect(),
    )
}

/// A GeoJSON FeatureCollection of the located rows (RFC 7946: longitude first).
pub fn geojson(points: &[Point]) -> serde_json::Value {
    serde_json::json!({
        "type": "FeatureCollection",
        "features": points.iter().map(|p| serde_json::json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [p.lon, p.lat] },
            "properties": p.properties,
        })).collect::<Vec<_>>(),
    })
}

/// Points placed in a `width` × `height` box (x right = east, y down = south), with a margin;
/// longitudes are shrunk by the cosine of the middle latitude so distances look right.
pub fn layout(points: &[Point], width: f64, height: f64) -> Vec<(f64, f64)> {
    if points.is_empty() {
        return Vec::new();
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in points {
        (x0, x1, y0, y1) = (x0.min(p.lon), x1.max(p.lon), y0.min(p.lat), y1.max(p.lat));
    }
    let k = ((y0 + y1) / 2.0).to_radians().cos().max(0.1);
    let span_x = ((x1 - x0) * k).max(1e-6);
    let span_y = (y1 - y0).max(1e-6);
    let margin = 20.0;
    let scale = ((width - 2.0 * margin) / span_x).min((height - 2.0 * margin) / span_y);
    points.iter().map(|p| (margin + (p.lon - x0) * k * scale, height - margin - (p.lat - y0) * scale)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::Field;

    #[test]
    fn located_rows_become_features() {
        let f = |name: &str, kind| Field { name: name.into(), en: name.into(), ru: name.into(), kind, required: false };
        let s = Structure {
            fields: vec![
                f("name", FieldType::String { max_length: None }),
                f("lat", FieldType::Latitude),
                f("lon", FieldType::Longitude),
            ],
            key: None,
        };
        let data = "name,lat,lon\r\nЦентр,56.4846,84.9476\r\nПриют,,\r\nДом,56.4977,84.9554\r\n";
        let pts = points(&s, data.as_bytes()).expect("located");
        assert_eq!(pts.len(), 2, "a row without coordinates is left out");
        let g = geojson(&pts);
        assert_eq!(g["features"][0]["geometry"]["coordinates"], serde_json::json!([84.9476, 56.4846]));
        assert_eq!(g["features"][1]["properties"]["name"], "Дом");
        let xy = layout(&pts, 400.0, 300.0);
        assert!(xy[0].0 < xy[1].0 && xy[0].1 > xy[1].1, "east is right, north is up: {xy:?}");
        let plain = Structure { fields: vec![f("name", FieldType::Integer)], key: None };
        assert!(points(&plain, data.as_bytes()).is_none());
    }
}
