//! The embedded basemap reads and holds what it should.

use super::*;

#[test]
fn embedded_basemap_has_kosovo_and_triangles() {
    let basemap = Basemap::embedded().unwrap();
    assert!(basemap.polygon_count() >= 18);
    let kosovo = basemap.countries.iter().find(|c| c.name == "Kosovo").unwrap();
    assert!(!kosovo.triangles.is_empty());
    assert_eq!(kosovo.triangles.len() % 3, 0);
    let [w, s, e, n] = kosovo.bbox;
    assert!((19.9..20.1).contains(&w) && (21.7..21.9).contains(&e));
    assert!((41.8..41.9).contains(&s) && (43.2..43.3).contains(&n));
}

#[test]
fn the_world_layer_covers_the_world_and_names_its_cities() {
    let basemap = Basemap::embedded().unwrap();
    assert!(basemap.world.countries.len() >= 170, "{}", basemap.world.countries.len());
    for country in ["France", "Ukraine", "Brazil", "Japan"] {
        assert!(basemap.world.countries.iter().any(|c| c.name == country), "{country}");
    }
    assert!(basemap.world.cities.len() > 1000);
    assert!(
        basemap.world.cities.windows(2).all(|pair| matches!(pair, [a, b] if a.rank <= b.rank)),
        "the most important first"
    );
    assert!(basemap.world.cities.iter().any(|c| c.name == "Paris"));
    assert!(inside_detail_box([20.0, 42.0, 21.0, 43.0]) && !inside_detail_box([2.0, 48.0, 3.0, 49.0]));
}

#[test]
fn embedded_basemap_has_the_regions_water() {
    let basemap = Basemap::embedded().unwrap();
    for lake in ["Lake Ohrid", "Lake Prespa", "Lake Skadar"] {
        assert!(basemap.lakes.iter().any(|l| l.name == lake && !l.triangles.is_empty()), "{lake}");
    }
    for river in ["Danube", "Drina", "Sitnica", "Beli Drim", "Morava"] {
        assert!(basemap.rivers.iter().any(|r| r.name == river && !r.lines.is_empty()), "{river}");
    }
    // The great rivers show from the whole Balkans on; small ones only closer in.
    let danube = basemap.rivers.iter().find(|r| r.name == "Danube").unwrap();
    assert!(danube.min_zoom <= 5.0 && danube.scale_rank <= 5, "{danube:?}");
}
