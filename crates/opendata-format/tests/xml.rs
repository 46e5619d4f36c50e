//! XML data against the structure's XSD: whole records become rows, problems carry the line
//! of the file, the field and a Russian message; the CSV twin turns back into the same XML.

use opendata_format::Structure;
use opendata_format::xml;

fn structure() -> Structure {
    Structure::from_csv(
        "field name,english description,russian description,format\r\n\
         id,Number,Номер,integer\r\nname,Name,Наименование,string(20)\r\nopened,Opened,Дата открытия,date\r\n\
         lat,Latitude,Широта,latitude\r\n"
            .as_bytes(),
    )
    .map(|mut s| {
        s.fields[0].required = true;
        s.fields[1].required = true;
        s
    })
    .expect("structure")
}

fn check(doc: &str) -> (opendata_format::Report, Vec<Vec<String>>) {
    let mut rows = Vec::new();
    let report =
        xml::validate(&structure(), doc.as_bytes(), 100, &mut |_| {}, &mut |r| rows.push(r.to_vec())).expect("read");
    (report, rows)
}

#[test]
fn a_valid_file_gives_its_rows_in_the_structures_order() {
    let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data>\n<record><id> 1 </id><name>Центр &amp; «Забота»</name>\
               <opened>2026-03-01</opened><lat>56.48</lat></record>\n<record><id>2</id><name><![CDATA[Приют <Радуга>]]></name></record>\n</data>\n";
    let (report, rows) = check(doc);
    assert!(report.valid(), "{:?}", report.issues);
    assert_eq!(report.rows, 2);
    assert_eq!(rows[0], ["1", "Центр & «Забота»", "2026-03-01", "56.48"]);
    assert_eq!(rows[1], ["2", "Приют <Радуга>", "", ""]);
}

#[test]
fn every_problem_is_named_with_its_line_and_field() {
    let doc = "<data>\n<record><id>x</id><name>Центр</name></record>\n<record><name>Без номера</name></record>\n\
               <record><id>3</id><name>Ц</name><lat>91</lat><extra>1</extra></record>\n\
               <record><id>4</id><opened>2026-02-30</opened><name>Поздно</name></record>\n<other/>\n</data>";
    let (report, rows) = check(doc);
    let got: Vec<(u64, &str, &str)> = report.issues.iter().map(|i| (i.line, i.field.as_str(), i.code)).collect();
    assert_eq!(
        got,
        vec![
            (2, "id", "type"),
            (3, "id", "required"),
            (4, "lat", "type"),
            (4, "extra", "xml_element"),
            (5, "name", "required"),
            (5, "opened", "type"),
            (5, "name", "xml_element"),
            (6, "", "xml_element"),
        ],
        "{:#?}",
        report.issues
    );
    assert!(report.issues[2].message.contains("вне допустимого"));
    assert!(rows.is_empty(), "no record here is whole");
}

#[test]
fn broken_or_foreign_files_stop_with_a_reason() {
    let (r, _) = check("<data><record><id>1</id></data>");
    assert!(r.stopped && r.issues[0].code == "xml_syntax", "{:?}", r.issues);
    let (r, _) = check("<list><item/></list>");
    assert_eq!(r.issues[0].code, "xml_root");
    let (r, _) = check("<?xml version=\"1.0\" encoding=\"windows-1251\"?><data/>");
    assert_eq!(r.issues[0].code, "encoding");
    let (r, _) = check("");
    assert_eq!(r.issues[0].code, "empty_file");
    assert!(xml::looks_like_xml(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>") && !xml::looks_like_xml(b"id,name\r\n"));
}

#[test]
fn the_csv_twin_is_the_same_data_and_points_at_its_schema() {
    let csv = "id,name,opened,lat\r\n1,\"Центр \"\"Забота\"\"\",2026-03-01,56.48\r\n2,Приют <Радуга>,,\r\n";
    let doc = xml::from_csv(&structure(), csv.as_bytes(), "structure-20260302T1600.xsd").expect("xml");
    assert!(doc.contains("xsi:noNamespaceSchemaLocation=\"structure-20260302T1600.xsd\""));
    assert!(doc.contains("<record><id>2</id><name>Приют &lt;Радуга&gt;</name></record>"));
    let (report, rows) = check(&doc);
    assert!(report.valid(), "{:?}", report.issues);
    assert_eq!(rows[0], ["1", "Центр \"Забота\"", "2026-03-01", "56.48"]);
    let schema = xml::xsd(&structure(), "Учреждения");
    assert!(
        schema.contains("<xs:element name=\"id\" minOccurs=\"1\">") && schema.contains("<xs:maxLength value=\"20\"/>")
    );
    assert!(schema.contains("<xs:element name=\"opened\" minOccurs=\"0\">") && schema.contains("EPSG:4326"));
}
