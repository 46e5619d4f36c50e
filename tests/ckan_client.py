"""Reads a running Glasnost through ckanapi (PyPI), as a CKAN harvester would, and prints what
it got as one JSON object. Usage: ckan_client.py ADDRESS"""
import json
import sys

import ckanapi

address = sys.argv[1]
out = {}
for get_only in (False, True):
    ckan = ckanapi.RemoteCKAN(address, user_agent="glasnost-tests", get_only=get_only)
    key = "get" if get_only else "post"
    status = ckan.action.status_show()
    names = ckan.action.package_list()
    package = ckan.action.package_show(id=names[1])
    search = ckan.action.package_search(
        q="учреждения", fq="organization:social-protection", rows=1, start=0,
        sort="name asc", **{"facet.field": json.dumps(["organization", "tags", "res_format"])})
    none = ckan.action.package_search(fq="organization:finance", rows=10)
    orgs = ckan.action.organization_list(all_fields=True)
    org = ckan.action.organization_show(id="social-protection", include_datasets=True)
    tags = ckan.action.tag_list()
    resource = ckan.action.resource_show(id=package["resources"][-1]["id"])
    records = ckan.action.datastore_search(
        resource_id=resource["id"], filters=json.dumps({"id": ["1", "3"]}) if get_only else {"id": ["1", "3"]},
        limit=1, offset=0)
    found = ckan.action.datastore_search(resource_id=resource["id"], q="надежда")
    try:
        ckan.action.package_show(id="7017000019-nothing")
        missing = "found"
    except ckanapi.NotFound as e:
        missing = "NotFound: " + str(e)
    out[key] = {
        "ckan_version": status["ckan_version"], "names": names, "package_name": package["name"],
        "package_org": package["organization"]["name"], "resources": len(package["resources"]),
        "datastore_active": package["resources"][-1]["datastore_active"],
        "search_count": search["count"], "search_results": len(search["results"]),
        "facets": search["search_facets"], "none": none["count"],
        "orgs": [(o["name"], o["package_count"]) for o in orgs], "org_packages": len(org.get("packages", [])),
        "tags": tags, "resource_url": resource["url"],
        "total": records["total"], "records": records["records"], "fields": [f["id"] for f in records["fields"]],
        "found": [r["name"] for r in found["records"]], "missing": missing,
    }
print(json.dumps(out, ensure_ascii=False))
