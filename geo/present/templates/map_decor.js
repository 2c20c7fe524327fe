/* What is drawn over the markers, on the Map page and on the slide's map (geo.present.mapview._Decor).
   One home for the label-clash logic: a label, route number or country name goes where it stays
   inside the map and covers no marker, control and nothing placed before it.
   config: plain data from the server (script_json): every text is set with textContent, never as
   HTML; only config.legend is HTML, made by our autoescaping template (legend.html.j2).
   Page mode: legend and title line inside the map, labels that fit (placed again after each zoom
   or move), a notice when online tiles fail. Slide mode: markers grown with the map, every venue
   labelled (the name alone where the dates do not fit; failing all, right of the marker), the
   venues' country names, an inset locator for Armenia and Azerbaijan. */
window.TalksMap = window.TalksMap || (function() {
    'use strict';
    var MARKERS = '.venue-marker';
    var SMALL = 70;  // px: a highlighted country smaller than this keeps labels off it and is named beside it
    var ARROW = '<svg width="16" height="16" viewBox="-8 -8 16 16"><path d="M-6,-5 L7,0 L-6,5 L-3,0 Z"/></svg>';

    function addCss(text) {
        if (document.getElementById('talks-map-css')) { return; }
        var el = document.createElement('style');
        el.id = 'talks-map-css';
        el.textContent = text;
        document.head.appendChild(el);
    }

    function hit(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }

    /* What is taken on the map: rectangles in client pixels, and the map's frame. */
    function Placer(map) {
        this.map = map;
        this.frame = map.getContainer().getBoundingClientRect();
        // markers painted on a canvas (thousands of venues: templates/venue_layer.js) are no elements
        this.taken = map._talksMarkerBoxes ? map._talksMarkerBoxes() : [];
    }
    Placer.prototype.free = function(el) { return !this.blocked(el.getBoundingClientRect()); };
    /* A rectangle (client pixels) reaching out of the map or onto something taken. */
    Placer.prototype.blocked = function(r) {
        var f = this.frame;
        if (r.left < f.left || r.right > f.right || r.top < f.top || r.bottom > f.bottom) { return true; }
        return this.taken.some(function(q) { return hit(r, q); });
    };
    /* How badly a label placed there would cover things: the area it shares with what is taken,
       plus (ten times) its area outside the map. */
    Placer.prototype.cost = function(el) {
        var r = el.getBoundingClientRect(), f = this.frame;
        var inside = Math.max(0, Math.min(r.right, f.right) - Math.max(r.left, f.left)) *
                     Math.max(0, Math.min(r.bottom, f.bottom) - Math.max(r.top, f.top));
        var out = 10 * (r.width * r.height - inside);
        return this.taken.reduce(function(sum, q) {
            return sum + Math.max(0, Math.min(r.right, q.right) - Math.max(r.left, q.left)) *
                         Math.max(0, Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top));
        }, out);
    };
    /* Whether a label tried at ``t`` ([direction, offset]) next to the point ``at`` surely would not be
       free: the point just inside its edge towards the marker (past Leaflet's 6 px tooltip margin) is
       taken or off the map. Known without making the label: each one made is a layout of the page,
       and among thousands of markers most tries fail. */
    var INSIDE = {right: [8, 0], left: [-8, 0], top: [0, -8], bottom: [0, 8]};
    Placer.prototype.covered = function(at, t) {
        var d = INSIDE[t[0]];
        if (!d || !t[1]) { return false; }  // a label centred on its point: no edge towards a marker
        var p = this.map.latLngToContainerPoint(at), f = this.frame;
        var x = f.left + p.x + t[1][0] + d[0], y = f.top + p.y + t[1][1] + d[1];
        if (x <= f.left || x >= f.right || y <= f.top || y >= f.bottom) { return true; }
        return this.taken.some(function(q) { return q.left < x && x < q.right && q.top < y && y < q.bottom; });
    };
    Placer.prototype.take = function(el) { this.taken.push(el.getBoundingClientRect()); };
    /* Armenia and Azerbaijan where they are small on the map: no label may cover them. */
    Placer.prototype.takeSmall = function(selector, most) {
        var self = this;
        this.map.getContainer().querySelectorAll(selector).forEach(function(el) {
            var r = el.getBoundingClientRect();
            if (r.width > 0 && r.width < most && r.height < most) { self.taken.push(r); }
        });
    };
    Placer.prototype.takeAll = function(selector) {
        var self = this;
        this.map.getContainer().querySelectorAll(selector).forEach(function(el) { self.take(el); });
    };

    /* A permanent, non-interactive tooltip at the first of ``tries`` ([direction, offset, content])
       where the placer finds room; where none has room, null, or with ``fallback`` the try that
       covers least (``fallback`` itself when every try is off the map). */
    function place(layer, placer, at, className, tries, fallback) {
        var best = null, bestCost = Infinity;
        function tooltip(t) {
            var tip = L.tooltip({permanent: true, interactive: false, direction: t[0], offset: t[1],
                                 className: className}).setLatLng(at).setContent(t[2]());
            layer.addLayer(tip);
            return tip;
        }
        for (var i = 0; i < tries.length; i++) {
            if (!fallback && placer.covered(at, tries[i])) { continue; }  // no cost needed without a fallback
            var tip = tooltip(tries[i]);
            if (placer.free(tip.getElement())) {
                placer.take(tip.getElement());
                return tip;
            }
            var cost = placer.cost(tip.getElement());
            if (cost < bestCost) { best = tries[i]; bestCost = cost; }
            layer.removeLayer(tip);
            L.DomUtil.remove(tip.getElement());  // at once: a fading one stays 200 ms, laid out with every later try
        }
        if (!fallback) { return null; }
        var last = tooltip(best || fallback);
        placer.take(last.getElement());
        return last;
    }

    function sides(gap) {
        return [['right', [gap, 0]], ['left', [-gap, 0]], ['top', [0, -gap]], ['bottom', [0, gap]]];
    }

    function venueContent(v, dated) {  // the venue's name, and its meeting dates on a second line
        return function() {
            var box = document.createElement('span'), name = document.createElement('span');
            name.className = 'venue-name';
            name.textContent = v.name;
            box.appendChild(name);
            if (dated && v.when) {
                var when = document.createElement('span');
                when.className = 'venue-when';
                when.textContent = v.when;
                box.appendChild(when);
            }
            return box;
        };
    }

    function textContent(text) {
        return function() {
            var el = document.createElement('span');
            el.textContent = text;
            return el;
        };
    }

    /* Right of the marker, else left, above or below; where none fits with the dates, the name
       alone; then the name a little further out. */
    function venueLabels(layer, placer, labels, k, always) {
        labels.forEach(function(v) {
            var around = sides(v.r * k + 3), tries = [];
            [true, false].forEach(function(dated) {
                if (!dated || v.when) {
                    around.forEach(function(s) { tries.push([s[0], s[1], venueContent(v, dated)]); });
                }
            });
            var g = v.r * k + 3, d = g * 0.8;  // the corners, then a little further out
            [['right', [d, -d]], ['right', [d, d]], ['left', [-d, -d]], ['left', [-d, d]]]
                .concat(sides(g + 14 * k))
                .forEach(function(s) { tries.push([s[0], s[1], venueContent(v, false)]); });
            place(layer, placer, v.at, 'venue-label', tries, always ? [around[0][0], around[0][1], venueContent(v, false)] : null);
        });
    }

    /* A venue's route numbers at a corner of its marker (after the labels: names matter more; where
       no corner is free, the one that covers least: a number away from its marker would mislead). */
    function badges(layer, placer, route, radii, k) {
        route.badges.forEach(function(b) {
            var d = (radii[b.venue] || 8) * k * 0.75 + 2;
            var tries = [['top', [-d, -d * 0.6]], ['top', [d, -d * 0.6]], ['bottom', [-d, d * 0.6]], ['bottom', [d, d * 0.6]]]
                .map(function(t) { return [t[0], t[1], textContent(b.text)]; });
            place(layer, placer, b.at, 'route-badge', tries, tries[0]);
        });
    }

    /* One arrow per leg, 55% of the way along it (so the legs there and back do not share one):
       Mercator keeps angles, so an arrow drawn once points the right way at every zoom. */
    function arrows(map, points, k) {
        if (!map.getPane('route-arrows')) {
            map.createPane('route-arrows');
            map.getPane('route-arrows').style.zIndex = 390;  // under the markers
            map.getPane('route-arrows').style.pointerEvents = 'none';
        }
        var z = map.getZoom(), group = L.layerGroup().addTo(map);
        for (var i = 1; i < points.length; i++) {
            var a = map.project(points[i - 1], z), b = map.project(points[i], z);
            var mid = a.add(b.subtract(a).multiplyBy(0.55));
            var deg = Math.atan2(b.y - a.y, b.x - a.x) * 180 / Math.PI;
            var px = Math.round(16 * k);
            var icon = L.divIcon({className: 'route-arrow', html: ARROW, iconSize: [px, px], iconAnchor: [px / 2, px / 2]});
            var mark = L.marker(map.unproject(mid, z), {icon: icon, interactive: false, keyboard: false, pane: 'route-arrows'});
            group.addLayer(mark);
            var svg = mark.getElement().firstChild;
            svg.setAttribute('width', px);
            svg.setAttribute('height', px);
            svg.style.transform = 'rotate(' + deg.toFixed(1) + 'deg)';
        }
        return group;
    }

    /* Which points of a grid of nx by ny over the map lie inside the shapes: their outlines as
       Leaflet drew them (the projected parts its _containsPoint tests) filled even-odd on a canvas
       of one pixel per grid point, whose pixel centres are the grid points, read back at once
       (thousands of point-in-polygon tests otherwise: most of the slide's decor time). */
    function insideGrid(map, shapes, nx, ny) {
        var size = map.getSize(), canvas = document.createElement('canvas');
        canvas.width = nx;
        canvas.height = ny;
        var ctx = canvas.getContext('2d', {willReadFrequently: true});
        var corner = map.containerPointToLayerPoint([0, 0]), sx = nx / size.x, sy = ny / size.y;
        ctx.setTransform(sx, 0, 0, sy, -corner.x * sx, -corner.y * sy);
        shapes.forEach(function(s) {
            ctx.beginPath();
            (s._parts || []).forEach(function(ring) {
                ring.forEach(function(p, i) { if (i) { ctx.lineTo(p.x, p.y); } else { ctx.moveTo(p.x, p.y); } });
                ctx.closePath();
            });
            ctx.fill('evenodd');
        });
        var alpha = ctx.getImageData(0, 0, nx, ny).data;
        return function(gx, gy) { return alpha[(gy * nx + gx) * 4 + 3] >= 128; };  // mostly covered: centre inside
    }

    /* The box (client pixels) a centred label of this size would take at container point p, less
       a margin for Leaflet's rounding: where even that box is blocked, the label is. */
    function centredBox(placer, p, w, h) {
        var f = placer.frame, m = 2;
        return {left: f.left + p.x - w / 2 + m, right: f.left + p.x + w / 2 - m,
                top: f.top + p.y - h / 2 + m, bottom: f.top + p.y + h / 2 - m};
    }

    /* How big a label with this text and class is (a tooltip drawn once and taken away). */
    function labelSize(layer, at, cls, text) {
        var tip = L.tooltip({permanent: true, interactive: false, direction: 'center', className: cls})
            .setLatLng(at).setContent(textContent(text)());
        layer.addLayer(tip);
        var r = tip.getElement().getBoundingClientRect();
        layer.removeLayer(tip);
        return r;
    }

    /* The country's name at a point of the country inside the view, as near its visible middle as
       there is room: the view sampled on a grid, each point tested against the country's outline;
       points where the label's box is plainly blocked are passed over without drawing it. */
    function countryNames(map, layer, placer, names, highlight) {
        var basemap = map._talksBasemap;
        if (!basemap) { return; }
        var size = map.getSize();
        names.forEach(function(entry) {
            var name = entry[0], shown = entry[1], shapes = [];
            basemap.eachLayer(function(l) {
                if (l.feature && l.feature.properties && l.feature.properties.name === name) { shapes.push(l); }
            });
            if (!shapes.length) { return; }
            var view = map.getBounds();
            if (highlight.indexOf(name) >= 0 && !shapes.every(function(s) { return view.contains(s.getBounds()); })) {
                return;  // Armenia or Azerbaijan cut by the map's edge: the inset shows them whole
            }
            var cls = 'country-label' + (highlight.indexOf(name) >= 0 ? ' highlighted' : '');
            if (highlight.indexOf(name) >= 0 && besideSmall(map, layer, placer, shapes, cls, shown)) { return; }
            var inside = function(p) {
                var lp = map.containerPointToLayerPoint(p);
                return shapes.some(function(s) { return s._containsPoint && s._containsPoint(lp); });
            };
            var pts = [], cx = 0, cy = 0;
            shapes.forEach(function(s) {
                var c = map.latLngToContainerPoint(s.getBounds().getCenter());
                if (c.x > 0 && c.y > 0 && c.x < size.x && c.y < size.y && inside(c)) { pts.push(c); }
            });
            var nx = Math.ceil(size.x / 24), ny = Math.ceil(size.y / 24);  // a point every 24 px or so
            var grid = insideGrid(map, shapes, nx, ny);
            for (var gx = 0; gx < nx; gx++) {
                for (var gy = 0; gy < ny; gy++) {
                    if (grid(gx, gy)) { pts.push(L.point((gx + 0.5) * size.x / nx, (gy + 0.5) * size.y / ny)); }
                }
            }
            if (!pts.length) { return; }
            pts.forEach(function(p) { cx += p.x; cy += p.y; });
            cx /= pts.length;
            cy /= pts.length;
            pts.sort(function(a, b) {
                return (a.x - cx) * (a.x - cx) + (a.y - cy) * (a.y - cy) - (b.x - cx) * (b.x - cx) - (b.y - cy) * (b.y - cy);
            });
            var box = labelSize(layer, map.containerPointToLatLng(pts[0]), cls, shown);
            for (var i = 0; i < Math.min(pts.length, 400); i++) {
                if (placer.blocked(centredBox(placer, pts[i], box.width, box.height))) { continue; }
                if (place(layer, placer, map.containerPointToLatLng(pts[i]), cls, [['center', [0, 0], textContent(shown)]], null)) {
                    return;
                }
            }
        });
    }

    /* A highlighted country drawn small (its outline taken by the placer): its name beside it. */
    function besideSmall(map, layer, placer, shapes, cls, shown) {
        var el = shapes[0].getElement && shapes[0].getElement();
        if (!el) { return false; }
        var r = el.getBoundingClientRect();
        if (!(r.width > 0 && r.width < SMALL && r.height < SMALL)) { return false; }
        var f = map.getContainer().getBoundingClientRect();
        var mid = map.containerPointToLatLng([(r.left + r.right) / 2 - f.left, (r.top + r.bottom) / 2 - f.top]);
        var w = r.width / 2 + 3, h = r.height / 2 + 2;
        var tries = [['right', [w, 0]], ['left', [-w, 0]], ['bottom', [0, h]], ['top', [0, -h]]]
            .map(function(t) { return [t[0], t[1], textContent(shown)]; });
        return !!place(layer, placer, mid, cls, tries, null);
    }

    /* A small world map in the corner: Armenia and Azerbaijan highlighted and ringed, the venues
       as dots and the main map's view as a dashed box. */
    function inset(map, data, k) {
        var host = L.control({position: 'bottomleft'});
        host.onAdd = function() {
            var box = L.DomUtil.create('div', 'talks-inset');
            var size = map.getSize();
            box.style.width = Math.round(size.x * 0.27) + 'px';
            box.style.height = Math.round(size.y * 0.32) + 'px';
            return box;
        };
        host.addTo(map);
        var box = host.getContainer(), holder = L.DomUtil.create('div', 'inset-map', box);
        var caption = L.DomUtil.create('div', 'inset-caption', box);
        caption.textContent = data.caption;
        box.style.setProperty('--inset-px', Math.round(11 * k) + 'px');
        var mini = L.map(holder, {zoomControl: false, attributionControl: false, dragging: false, scrollWheelZoom: false,
                                  doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false,
                                  zoomAnimation: false, fadeAnimation: false, zoomSnap: 0.25});
        var world = map._talksBasemapData;
        if (world) {
            L.geoJSON(world, {interactive: false, style: function(f) {
                var hi = data.highlight.indexOf(f.properties && f.properties.name) >= 0;
                return hi ? {color: data.line, weight: 1, fillColor: data.line, fillOpacity: 1, className: 'country-highlight'}
                          : {color: '#a9b3ba', weight: 0.5, fillColor: '#f1f3f0', fillOpacity: 1};
            }}).addTo(mini);
        }
        var two = L.latLngBounds(data.bounds);
        var all = L.latLngBounds(data.bounds);
        data.venues.forEach(function(v) { all.extend(v); });
        var pad = 14 * k;
        mini.fitBounds(all, {paddingTopLeft: [pad, pad], paddingBottomRight: [pad, pad + caption.offsetHeight],
                             animate: false});
        L.circleMarker(two.getCenter(), {radius: 9 * k, color: data.line, weight: 2, fill: false, interactive: false}).addTo(mini);
        data.venues.forEach(function(v) {
            L.circleMarker(v, {radius: 2.5 * k, color: '#ffffff', weight: 1, fillColor: '#1d2630', fillOpacity: 1,
                               interactive: false}).addTo(mini);
        });
        L.rectangle(map.getBounds(), {color: '#1d2630', weight: 1, dashArray: '3 3', fill: false, interactive: false})
            .addTo(mini);
        return box;
    }

    function legendControl(map, html) {
        var c = L.control({position: 'topright'});
        c.onAdd = function() {
            var box = L.DomUtil.create('div', 'talks-box talks-legend-box');
            box.innerHTML = html;  // made by legend.html.j2 with every value escaped
            L.DomEvent.disableClickPropagation(box);
            return box;
        };
        return c.addTo(map);
    }

    function titleControl(map, title, subtitle) {
        var c = L.control({position: 'topleft'});
        c.onAdd = function() {
            var box = L.DomUtil.create('div', 'talks-box talks-title');
            var head = L.DomUtil.create('b', '', box), line = L.DomUtil.create('span', '', box);
            head.textContent = title;
            line.textContent = subtitle;
            L.DomEvent.disableClickPropagation(box);
            return box;
        };
        c.addTo(map);
        var corner = c.getContainer().parentNode;
        corner.insertBefore(c.getContainer(), corner.firstChild);  // above the zoom buttons
        return c;
    }

    function tileNotice(map, tiles, text) {
        var handler = function() {
            tiles.off('tileerror', handler);
            if (map.getContainer().querySelector('.talks-notice')) { return; }  // shown by an earlier layer
            var c = L.control({position: 'topleft'});
            c.onAdd = function() {
                var box = L.DomUtil.create('div', 'talks-box talks-notice');
                box.setAttribute('role', 'status');
                box.textContent = text;
                return box;
            };
            c.addTo(map);
            var corner = c.getContainer().parentNode, title = corner.querySelector('.talks-title');
            corner.insertBefore(c.getContainer(), title ? title.nextSibling : corner.firstChild);  // in sight, under the title
            map._talksLandOpaque = true;  // the offline outlines fill the land again
            if (map._talksBasemap) { map._talksBasemap.setStyle(map._talksBasemap.options.style); }
            map.fire('talkslayout');  // labels keep clear of the notice
        };
        tiles.on('tileerror', handler);
        return handler;
    }

    function radiiOf(labels) {
        var out = {};
        labels.forEach(function(v) { out[v.name] = v.r; });
        return out;
    }

    /* The slide's map is decorated once the page is read (after folium fits the map to the venues). */
    function decorate(map, config, tiles) {
        if (config.mode === 'slide' && document.readyState === 'loading') {
            document.addEventListener('DOMContentLoaded', function() { draw(map, config, tiles); });
        } else if (config.mode === 'slide') {
            setTimeout(function() { draw(map, config, tiles); }, 0);
        } else {
            draw(map, config, tiles);
        }
    }

    function draw(map, config, tiles) {
        addCss(config.css);
        var overlay = L.layerGroup().addTo(map), radii = radiiOf(config.labels);

        if (config.mode === 'slide') {
            /* Markers are sized for the app's 560 px map: on a bigger slide map they grow with it. */
            var k = Math.max(1, Math.min(2, map.getSize().y / 560));
            if (config.route) { arrows(map, config.route.points, k); }
            map.eachLayer(function(layer) {
                if (layer instanceof L.CircleMarker && /venue-(marker|ring)/.test(layer.options.className || '')) {
                    layer.setRadius(layer.getRadius() * k);
                }
            });
            var root = document.documentElement.style;
            root.setProperty('--label-px', Math.round(15 * k) + 'px');
            root.setProperty('--badge-px', Math.round(13 * k) + 'px');
            root.setProperty('--country-px', Math.round(13 * k) + 'px');
            if (config.inset && !map.getBounds().contains(L.latLngBounds(config.inset.bounds))) {
                inset(map, config.inset, k);  // the two countries are not (wholly) in view
            }
            var placer = new Placer(map);
            placer.takeAll(MARKERS + ', .leaflet-control, .route-arrow');
            placer.takeSmall('.country-highlight', SMALL);
            venueLabels(overlay, placer, config.labels, k, true);
            if (config.route) { badges(overlay, placer, config.route, radii, k); }
            countryNames(map, overlay, placer, config.countries || [], config.highlight || []);
            map.getContainer().setAttribute('data-decorated', 'slide');  // for tests and screenshots: all drawn
            return;
        }

        var drawn = [overlay];  // what undo() takes away again (the app's swapped layer)
        if (config.route) { drawn.push(arrows(map, config.route.points, 1)); }
        var controls = [];
        if (config.legend) { controls.push(legendControl(map, config.legend)); }
        if (config.title) { controls.push(titleControl(map, config.title, config.subtitle)); }
        var notice = tiles ? tileNotice(map, tiles, config.tile_failed) : null;
        function layout() {  // again after each zoom or move: labels that no longer fit are left out
            overlay.clearLayers();
            var placer = new Placer(map);
            if (!placer.frame.width) { return; }
            placer.takeAll(MARKERS + ', .leaflet-control, .route-arrow');
            placer.takeSmall('.country-highlight', SMALL);
            venueLabels(overlay, placer, config.labels.slice(0, config.max_labels), 1, false);
            if (config.route) { badges(overlay, placer, config.route, radii, 1); }
            map.getContainer().setAttribute('data-decorated', 'page');
        }
        var pending = null;
        function later() {  // once for the events of one change (a fitted view ends with zoomend and moveend)
            clearTimeout(pending);
            pending = setTimeout(layout, 0);
        }
        map.on('zoomend moveend resize talkslayout', later);
        later();
        return function undo() {
            clearTimeout(pending);
            map.off('zoomend moveend resize talkslayout', later);
            if (notice) { tiles.off('tileerror', notice); }
            drawn.forEach(function(layer) { map.removeLayer(layer); });
            controls.forEach(function(c) { map.removeControl(c); });
            map.getContainer().removeAttribute('data-decorated');
        };
    }

    function tileLayerOf(map) {
        var found = null;
        map.eachLayer(function(layer) { if (!found && layer instanceof L.TileLayer) { found = layer; } });
        return found;
    }

    /* The Map page's layer, swapped in place when the filters change (st_folium's
       feature_group_to_add): its decor is drawn when the layer joins the map and taken away
       with it, so labels, route numbers, legend and title line always follow the filters. */
    function decorateGroup(group, config) {
        var undo = null;
        group.on('add', function() {
            var map = group._map;
            if (undo) { undo(); }
            undo = draw(map, config, tileLayerOf(map));
        });
        group.on('remove', function() {
            if (undo) { undo(); undo = null; }
        });
    }

    return {decorate: decorate, decorateGroup: decorateGroup, Placer: Placer};
})();
