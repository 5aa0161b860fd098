/* Charts of the statistics page (issue #14), drawn with the vendored ECharts from the figures the page
   carries as JSON (#stats-data): no inline script, no other origin. Clicking a bar or a slice opens
   the cases behind it, like the numbers in the tables. */
(function () {
  "use strict";

  function start() {
    var holder = document.getElementById("stats-data");
    if (!holder || !window.echarts) { return; }
    var data = JSON.parse(holder.textContent);
    var charts = [];
    var palette = ["#1f4e8c", "#d9822b", "#2e8b57", "#b03a48", "#6a5acd", "#008b8b", "#8b6914", "#708090"];
    var text = { fontFamily: "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" };

    function make(el, option, hrefs) {
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      option.color = palette;
      option.textStyle = text;
      option.animation = false;
      option.tooltip = Object.assign({ renderMode: "richText", confine: true }, option.tooltip || {});
      chart.setOption(option);
      chart.on("click", function (params) {
        var href = hrefs(params);
        if (href) { window.location.href = href; }
      });
      charts.push(chart);
    }

    function narrow() { return window.innerWidth < 640; }

    var stage = data.dimensions[0];
    document.querySelectorAll("[data-chart='monthly']").forEach(function (el) {
      make(el, {
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", minInterval: 1 },
        series: stage.items.map(function (item) {
          return { name: item.label, type: "bar", stack: "cases", data: item.monthly };
        })
      }, function (p) { return stage.items[p.seriesIndex] && stage.items[p.seriesIndex].href; });
    });

    document.querySelectorAll("[data-chart='dimension']").forEach(function (el) {
      var dim = data.dimensions[Number(el.getAttribute("data-index"))];
      if (!dim || !dim.items.length) { el.classList.add("chart-empty"); return; }
      var pie = dim.items.length <= 4;
      var option = pie ? {
        tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
        series: [{
          type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}\n{c} 件" },
          data: dim.items.map(function (i) { return { name: i.label, value: i.count }; })
        }]
      } : {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: {
          type: "category", inverse: true,
          data: dim.items.map(function (i) { return i.label; }),
          axisLabel: { width: narrow() ? 90 : 160, overflow: "truncate" }
        },
        series: [{ type: "bar", data: dim.items.map(function (i) { return i.count; }), label: { show: true, position: "right" } }]
      };
      make(el, option, function (p) { return dim.items[p.dataIndex] && dim.items[p.dataIndex].href; });
    });

    document.querySelectorAll("[data-chart='compliance']").forEach(function (el) {
      make(el, {
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", minInterval: 1 },
        series: data.compliance.map(function (f) {
          return { name: f.label, type: "line", data: f.monthly, symbolSize: 6 };
        })
      }, function (p) { return data.compliance[p.seriesIndex] && data.compliance[p.seriesIndex].href; });
    });

    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
