/* Cockpit charts. They draw the data of the tables beside them (from the json_script block
   "cockpit-data"); without JavaScript the charts stay hidden and the tables say it all. */
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var series = data.series;
  var colors = ["#b71c1c", "#1565c0", "#1b7f3b", "#b26a00", "#6a1b9a", "#00838f", "#5d4037", "#455a64", "#ad1457"];
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var base = {
    color: colors,
    animation: !still,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    tooltip: { trigger: "axis", confine: true },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true }
  };

  function merge(option) {
    var result = {};
    Object.keys(base).forEach(function (key) { result[key] = base[key]; });
    Object.keys(option).forEach(function (key) { result[key] = option[key]; });
    return result;
  }

  // Horizontal bars: long Chinese place and category names stay readable on a phone.
  function bars(d) {
    if (!d.names.length) return null;
    return merge({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.names, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
      series: [
        { name: series.received, type: "bar", data: d.received, barMaxWidth: 14 },
        { name: series.answered_48h, type: "bar", data: d.answered_48h, barMaxWidth: 14 }
      ]
    });
  }

  function months(d) {
    if (!d.names.length) return null;
    var line = function (name, values) { return { name: name, type: "line", data: values, symbolSize: 6 }; };
    return merge({
      grid: { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.names, boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      series: [line(series.received, d.received), line(series.answered, d.answered), line(series.closed, d.closed)]
    });
  }

  // On a phone the slice labels do not fit beside the pie: the legend (which wraps) names them.
  function pie(d, narrow) {
    if (!d.length) return null;
    return merge({
      tooltip: { trigger: "item", confine: true, formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0, type: narrow ? "plain" : "scroll" },
      series: [{ type: "pie", radius: narrow ? ["28%", "52%"] : ["35%", "65%"], center: ["50%", narrow ? "38%" : "45%"],
                 data: d, label: { show: !narrow, formatter: "{b}\n{d}%" } }]
    });
  }

  var builders = {
    category: function () { return bars(data.category); },
    place: function () { return bars(data.place); },
    month: function () { return months(data.month); },
    channel: function (element) { return pie(data.channel, element.clientWidth < 520); }
  };
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var kind = element.getAttribute("data-chart");
    if (!builders[kind]) return;
    element.hidden = false;  // shown first, so that its width is known
    var option = builders[kind](element);
    if (!option) {
      element.hidden = true;
      return;
    }
    if (kind === "category" || kind === "place") {
      element.style.height = Math.max(200, data[kind].names.length * 36 + 70) + "px";
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
