def test_providers_endpoint_is_public(api, reference):
    response = api.get("/api/v1/providers/")

    assert response.status_code == 200
    astana = next(p for p in response.json() if p["code"] == "710000000")
    assert astana["region"] == "Астана"
    assert astana["kind"] == "republican_city"
    assert set(astana) == {"code", "name", "region", "kind"}
