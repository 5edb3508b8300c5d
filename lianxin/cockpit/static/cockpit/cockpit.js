/* Cockpit charts. They draw the data of the tables beside them (from the json_script block
   "cockpit-data"); without JavaScript the charts stay hidden and the tables say it all.
   On the big screen (body.big-screen) the same charts are drawn dark and large, and drawn
   again when htmx brings fresh panels. */
(function () {
  "use strict";
  if (!window.echarts) return;
  var big = document.body.classList.contains("big-screen");
  var ink = big ? "#dfe7f1" : "#1f2328";
  var faint = big ? "#2c3d55" : "#e3e7ec";
  var size = big ? 20 : 12;
  var colors = big
    ? ["#ff6b6b", "#4dabf7", "#51cf66", "#fcc419", "#cc5de8", "#22b8cf", "#ff922b", "#94d82d", "#f06595"]
    : ["#b71c1c", "#1565c0", "#1b7f3b", "#b26a00", "#6a1b9a", "#00838f", "#5d4037", "#455a64", "#ad1457"];
  var still = big || (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  var axisText = { color: ink, fontSize: size };
  var data, series, charts = [], source = null, labelWidth = 110;

  function merge(option) {
    var result = {
      color: colors,
      animation: !still,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily, color: ink, fontSize: size },
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 0, textStyle: { color: ink, fontSize: size } },
      grid: { left: 8, right: big ? 40 : 24, top: big ? 44 : 36, bottom: 8, containLabel: true }
    };
    Object.keys(option).forEach(function (key) { result[key] = option[key]; });
    return result;
  }

  function valueAxis(extra) {
    var axis = { type: "value", minInterval: 1, axisLabel: axisText, splitLine: { lineStyle: { color: faint } } };
    Object.keys(extra || {}).forEach(function (key) { axis[key] = extra[key]; });
    return axis;
  }

  function nameAxis(names) {
    return { type: "category", data: names, inverse: true,
             axisLabel: { color: ink, fontSize: size, width: labelWidth, overflow: "truncate" } };
  }

  function bar(name, values) {
    return { name: name, type: "bar", data: values, barMaxWidth: big ? 22 : 14,
             label: { show: big, position: "right", color: ink, fontSize: size - 2,
                      formatter: function (p) { return p.value ? p.value : ""; } } };
  }

  // Horizontal bars: long Chinese place and category names stay readable on a phone.
  function bars(d) {
    if (!d.names.length) return null;
    return merge({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      xAxis: valueAxis(), yAxis: nameAxis(d.names),
      series: [bar(series.received, d.received), bar(series.answered_48h, d.answered_48h)]
    });
  }

  function trend(d) {
    if (!d.names.length) return null;
    var line = function (name, values) { return { name: name, type: "line", data: values, symbolSize: big ? 8 : 6 }; };
    return merge({
      xAxis: { type: "category", data: d.names, boundaryGap: false,
               axisLabel: { color: ink, fontSize: size, alignMinLabel: "left", alignMaxLabel: "right" } },
      yAxis: valueAxis(),
      series: [line(series.received, d.received), line(series.answered, d.answered), line(series.closed, d.closed)]
    });
  }

  function deputies(d) {
    if (!d.names.length) return null;
    return merge({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      xAxis: valueAxis(), yAxis: nameAxis(d.names),
      series: [bar(d.labels.brought_in, d.brought_in), bar(d.labels.urged, d.urged)]
    });
  }

  // On a phone the slice labels do not fit beside the pie: the legend (which wraps) names them.
  // The big screen names the slices beside the pie and needs no legend.
  function pie(d, narrow) {
    if (!d.length) return null;
    return merge({
      // The shares are the table's (ECharts would round them again to add up to 100%).
      tooltip: { trigger: "item", confine: true,
                 formatter: function (p) { return p.name + ": " + p.value + " (" + p.data.share + ")"; } },
      legend: { show: !big, bottom: 0, type: narrow ? "plain" : "scroll", textStyle: { color: ink, fontSize: size } },
      series: [{ type: "pie", data: d,
                 radius: big ? ["30%", "52%"] : narrow ? ["28%", "52%"] : ["35%", "65%"],
                 center: big ? ["50%", "52%"] : ["50%", narrow ? "38%" : "45%"],
                 label: { show: !narrow, formatter: function (p) { return p.name + "\n" + p.data.share; },
                          color: ink, fontSize: size, overflow: "none" } }]
    });
  }

  var builders = {
    category: function () { return bars(data.category); },
    place: function () { return bars(data.place); },
    month: function () { return trend(data.month); },
    week: function () { return trend(data.week); },
    department: function () { return bars(data.department); },
    deputy: function () { return deputies(data.deputy); },
    channel: function (element) { return pie(data.channel, !big && element.clientWidth < 520); }
  };
  var grows = { category: "category", place: "place", department: "department", deputy: "deputy" };

  function draw() {
    source = document.getElementById("cockpit-data");
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];
    if (!source) return;
    data = JSON.parse(source.textContent);
    series = data.series;
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var kind = element.getAttribute("data-chart");
      if (!builders[kind]) return;
      element.hidden = false;  // shown first, so that its width is known
      // Names get about a third of the width: long station names stay readable on a desk.
      labelWidth = big ? 170 : Math.round(Math.min(180, Math.max(96, element.clientWidth * 0.3)));
      var option = builders[kind](element);
      if (!option) {
        element.hidden = true;
        return;
      }
      if (grows[kind] && !big) {  // on the page a bar chart grows with its rows; the big screen is fixed
        element.style.height = Math.max(200, data[kind].names.length * 36 + 70) + "px";
      }
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option);
      charts.push(chart);
    });
  }

  draw();
  document.body.addEventListener("htmx:afterSettle", function () {
    if (document.getElementById("cockpit-data") !== source) draw();
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
