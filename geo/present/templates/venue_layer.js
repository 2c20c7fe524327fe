/* The venue markers (geo.present.mapview._VenueLayer): one circle per venue, one inner ring per
   further mediator, popup and tooltip HTML escaped on the server.
   layer: {styles: [Leaflet path options, ...], venues: [[lat, lon, [[style, radius], ...], popup,
   tip, name], ...], canvas: bool, canvas_name: text} (plain data from script_json); fit: zoom to
   the venues when the layer joins a map already shown (the app's swapped layer).
   Up to a few hundred venues every circle is an SVG element (class venue-marker, the rings
   venue-ring) with an accessible name (aria-label and an SVG title); above that all circles are
   painted on one canvas, in the same order and style: thousands of SVG elements made every
   layout of the page (each label placed, each zoom) take seconds. The canvas says what it shows
   (role img, aria-label), and hands the markers' boxes to the labels (map._talksMarkerBoxes). */
window.TalksVenues = window.TalksVenues || (function() {
    'use strict';

    function addCss(text) {
        if (document.getElementById('venue-popup-css')) { return; }
        var css = document.createElement('style');
        css.id = 'venue-popup-css';
        css.textContent = text;
        document.head.appendChild(css);
    }

    /* The outer circles' boxes in client pixels (as getBoundingClientRect gives an SVG marker's). */
    function boxesOf(outers) {
        return function() {
            if (!outers.length || !outers[0][0]._map) { return []; }
            var map = outers[0][0]._map, frame = map.getContainer().getBoundingClientRect();
            return outers.map(function(pair) {
                var p = map.latLngToContainerPoint(pair[0].getLatLng()), r = pair[0].getRadius();
                var x = frame.left + p.x, y = frame.top + p.y;
                return {left: x - r, right: x + r, top: y - r, bottom: y + r, width: 2 * r, height: 2 * r};
            });
        };
    }

    /* An accessible name on each SVG marker (plain text, as attribute and SVG title). */
    function nameElements(outers) {
        outers.forEach(function(pair) {
            var el = pair[0].getElement();
            if (!el || el.getAttribute('aria-label')) { return; }
            el.setAttribute('role', 'img');
            el.setAttribute('aria-label', pair[1]);
            var title = document.createElementNS(el.namespaceURI, 'title');
            title.textContent = pair[1];
            el.appendChild(title);
        });
    }

    function fitTo(map, venues) {  // a layer swapped into a map already shown: as a fresh map would be
        var points = venues.map(function(v) { return [v[0], v[1]]; });
        if (points.length === 1) {
            map.setView(points[0], 5);
        } else if (points.length > 1) {
            map.fitBounds(L.latLngBounds(points), {padding: [40, 40], maxZoom: 6});
        }
    }

    /* For tests and benchmarks: which layer is drawn and how many venues it has (set once painted). */
    function markDrawn(map, group, count) {
        var el = map.getContainer();
        requestAnimationFrame(function() {
            if (group._map !== map) { return; }
            el.setAttribute('data-venue-layer', String(L.stamp(group)));
            el.setAttribute('data-venues-drawn', String(count));
        });
    }

    /* Canvas only: a venue's circles as one layer (2,000 venues with 9 mediators were 20,000 Leaflet
       layers to make, keep and walk on every repaint). The outer circle is the layer (popup, tooltip,
       hit test); its inner rings are painted after it, each in its own style, at its share of the
       outer radius (so setRadius, as the slide's scaling does, grows them alike). */
    var Rings = L.CircleMarker.extend({
        _updatePath: function() {
            var renderer = this._renderer, own = this.options, radius = this._radius;
            renderer._updateCircle(this);
            for (var i = 0; i < this._rings.length; i++) {
                this.options = this._rings[i][0];
                this._radius = radius * this._rings[i][1];
                renderer._updateCircle(this);
            }
            this.options = own;
            this._radius = radius;
        }
    });

    function venueCircles(v, layer, renderer) {  // [outer circle, further layers (SVG rings)]
        var at = [v[0], v[1]], circles = v[2], outer = circles[0];
        var options = L.extend({}, layer.styles[outer[0]], {radius: outer[1]});
        if (!renderer) {
            return [L.circleMarker(at, options), circles.slice(1).map(function(c) {
                return L.circleMarker(at, L.extend({}, layer.styles[c[0]], {radius: c[1]}));
            })];
        }
        var rings = new Rings(at, L.extend(options, {renderer: renderer}));
        rings._rings = circles.slice(1).map(function(c) {
            return [L.extend({}, L.CircleMarker.prototype.options, layer.styles[c[0]]), c[1] / outer[1]];
        });
        return [rings, []];
    }

    function draw(parent, layer, fit, css) {
        addCss(css);
        var group = L.featureGroup(), outers = [];
        var renderer = layer.canvas ? L.canvas({padding: 0.2}) : null;
        layer.venues.forEach(function(v) {
            var drawn = venueCircles(v, layer, renderer), circle = drawn[0];
            circle.bindPopup(v[3], {maxWidth: 380}).bindTooltip(v[4], {sticky: true}).addTo(group);
            drawn[1].forEach(function(ring) { ring.addTo(group); });
            outers.push([circle, v[5]]);
        });
        if (fit) {
            group.on('add', function() { fitTo(this._map, layer.venues); });
        }
        group.on('add', function() {
            var map = this._map;
            if (renderer) {
                var canvas = renderer._container;  // Leaflet 1.9 has no getter
                if (canvas) {
                    canvas.setAttribute('role', 'img');
                    canvas.setAttribute('aria-label', layer.canvas_name);
                }
                map._talksMarkerBoxes = boxesOf(outers);
                map._talksMarkerBoxes.owner = group;
            } else {
                nameElements(outers);
            }
            markDrawn(map, group, layer.venues.length);
        });
        group.on('remove', function() {  // swapped out: its canvas and marks go with it
            var map = this._map, el = map.getContainer();
            if (renderer) { map.removeLayer(renderer); }
            if (map._talksMarkerBoxes && map._talksMarkerBoxes.owner === group) { delete map._talksMarkerBoxes; }
            if (el.getAttribute('data-venue-layer') === String(L.stamp(group))) {
                el.removeAttribute('data-venue-layer');
                el.removeAttribute('data-venues-drawn');
            }
        });
        group.addTo(parent);
        return group;
    }

    return {draw: draw};
})();
