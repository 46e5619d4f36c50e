"""Checks a DCAT catalogue as consumers would: parses the Turtle and the JSON-LD with rdflib,
compares the two graphs, and validates the Turtle against SHACL shapes with pyshacl.
Usage: rdf_check.py CATALOG.ttl CATALOG.jsonld SHAPES.ttl — prints one JSON object."""
import json
import sys

import pyshacl
import rdflib
from rdflib.compare import isomorphic

ttl = rdflib.Graph().parse(sys.argv[1], format="turtle")
jsonld = rdflib.Graph().parse(sys.argv[2], format="json-ld")
shapes = rdflib.Graph().parse(sys.argv[3], format="turtle")
conforms, _, text = pyshacl.validate(ttl, shacl_graph=shapes, inference="none")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
print(json.dumps({
    "triples": len(ttl),
    "isomorphic": isomorphic(ttl, jsonld),
    "conforms": bool(conforms),
    "datasets": len(list(ttl.subjects(rdflib.RDF.type, DCAT.Dataset))),
    "distributions": len(list(ttl.subjects(rdflib.RDF.type, DCAT.Distribution))),
    "report": text[:3000],
}))
