/*
 * Draws the report's charts with ECharts from the page's one JSON block (#report-charts). Each chart
 * entry names its container (id), its kind and its data; every number it draws is also in the table
 * beside it. Tooltip lines are text from data: they are HTML-escaped here before ECharts puts them in
 * the page.
 */
(function () {
  'use strict';
  var spec = JSON.parse(document.getElementById('report-charts').textContent);
  var escape = echarts.format.encodeHTML;
  var negative = '#c0504d';
  var positive = '#4f81bd';
  document.documentElement.classList.add('js');

  function tooltipOf(item) {
    var tip = item && item.tip;
    return tip ? tip.map(escape).join('<br>') : '';
  }

  function base(chart) {
    return {
      animation: false,
      title: {text: chart.title, left: 'center', textStyle: {fontSize: 13, fontWeight: 'normal'}},
      tooltip: {trigger: 'item', confine: true, formatter: function (p) { return tooltipOf(p.data); },
        extraCssText: 'white-space: normal; max-width: 44em; overflow-wrap: anywhere;'},
      grid: {left: 16, right: 32, top: 40, bottom: 40, containLabel: true}
    };
  }

  function categoryAxis(rows) {
    // The first row on top, as in the table below the chart.
    return {type: 'category', inverse: true, data: rows.map(function (r) { return r.label; }),
      axisLabel: {width: 320, overflow: 'truncate'}, axisLine: {onZero: false}};
  }

  function valueAxis(name) {
    return {type: 'value', name: name, nameLocation: 'middle', nameGap: 26, scale: true};
  }

  /** A horizontal whisker from value(0) to value(1) on category value(2), with end caps, shifted by offset px. */
  function whiskers(name, data, width, offset, color) {
    return {
      type: 'custom', name: name, data: data, encode: {x: [0, 1], y: 2}, z: 2, itemStyle: {color: color},
      renderItem: function (params, api) {
        if (isNaN(api.value(0)) || isNaN(api.value(1))) {
          return null;
        }
        var low = api.coord([api.value(0), api.value(2)]);
        var high = api.coord([api.value(1), api.value(2)]);
        var y = low[1] + offset;
        var style = {stroke: color, lineWidth: width};
        return {type: 'group', children: [
          {type: 'line', shape: {x1: low[0], y1: y, x2: high[0], y2: y}, style: style},
          {type: 'line', shape: {x1: low[0], y1: y - 4, x2: low[0], y2: y + 4}, style: style},
          {type: 'line', shape: {x1: high[0], y1: y - 4, x2: high[0], y2: y + 4}, style: style}
        ]};
      }
    };
  }

  var build = {
    forest: function (chart) {
      var option = base(chart);
      var rows = chart.rows;
      option.yAxis = categoryAxis(rows);
      option.xAxis = valueAxis('effect on accuracy (points)');
      // One scale for the plots that are read side by side, zero always in view, and a fixed room for
      // the labels, so that the plots' axes line up.
      option.xAxis.min = Math.floor(chart.extent[0] * 2) / 2;
      option.xAxis.max = Math.ceil(chart.extent[1] * 2) / 2;
      option.grid.containLabel = false;
      option.grid.left = 200;
      option.yAxis.axisLabel.width = 184;
      option.legend = {bottom: 0};
      option.grid.bottom = 66;
      function interval(lowKey, highKey) {
        return rows.map(function (r, i) {
          return {value: [r[lowKey] === null ? NaN : r[lowKey], r[highKey] === null ? NaN : r[highKey], i], tip: r.tip};
        });
      }
      option.series = [whiskers('95% t interval', interval('low', 'high'), 3, -3, '#555')];
      if (chart.bootstrap) {
        option.series.push(whiskers('seed bootstrap', interval('bootLow', 'bootHigh'), 1, 4, '#e08a2c'));
      }
      option.series.push(
        {type: 'scatter', name: 'effect', symbolSize: 10, z: 3, itemStyle: {color: positive},
          data: rows.map(function (r, i) { return {value: [r.effect, i], tip: r.tip}; }),
          markLine: {silent: true, symbol: 'none', lineStyle: {type: 'dashed', color: '#999'}, label: {show: false},
            data: [{xAxis: 0}]}});
      return option;
    },

    bars: function (chart) {
      var option = base(chart);
      option.yAxis = categoryAxis(chart.rows);
      option.xAxis = valueAxis(chart.axis);
      option.xAxis.scale = false;
      option.series = [{type: 'bar', barMaxWidth: 18, data: chart.rows.map(function (r) {
        return {value: r.value, tip: r.tip, itemStyle: {color: r.value < 0 ? negative : positive}};
      })}];
      var intervals = chart.rows.filter(function (r) { return r.low !== null && r.low !== undefined; });
      if (intervals.length > 0) {
        option.series.push(whiskers('95% interval over seeds', chart.rows.map(function (r, i) {
          return {value: [r.low === null || r.low === undefined ? NaN : r.low,
            r.high === null || r.high === undefined ? NaN : r.high, i], tip: r.tip};
        }), 2, 0, '#333'));
        option.legend = {bottom: 0};
        option.grid.bottom = 50;
      }
      return option;
    },

    boxplot: function (chart) {
      var option = base(chart);
      option.yAxis = categoryAxis(chart.rows);
      option.xAxis = valueAxis(chart.axis);
      option.series = [{type: 'boxplot', itemStyle: {borderColor: positive}, boxWidth: [6, 16],
        data: chart.rows.map(function (r) { return {value: r.box, tip: r.tip}; })}];
      return option;
    },

    scatter: function (chart) {
      var option = base(chart);
      option.xAxis = valueAxis(chart.xAxis);
      option.yAxis = valueAxis(chart.yAxis);
      option.yAxis.nameLocation = 'end';
      option.yAxis.nameGap = 12;
      option.legend = {bottom: 0, type: 'scroll'};
      option.grid.bottom = 56;
      function points(list) {
        return list.map(function (p) { return {value: [p.x, p.y], tip: p.tip}; });
      }
      option.series = chart.series.map(function (s) {
        return {type: 'scatter', name: s.name, symbolSize: 8, data: points(s.points)};
      });
      if (chart.front.length > 0) {
        // The best accuracy reachable for at most a given cost: flat until the next front run.
        option.series.push({type: 'line', name: 'Pareto front', step: 'end', symbolSize: 10, symbol: 'diamond',
          lineStyle: {color: '#333', width: 1.5}, itemStyle: {color: '#333'}, z: 3, data: points(chart.front)});
      }
      return option;
    },

    heatmap: function (chart) {
      var option = base(chart);
      option.tooltip.position = 'top';
      option.grid.bottom = 60;
      option.yAxis = {type: 'category', inverse: true, data: chart.rows, axisLabel: {width: 320, overflow: 'truncate'},
        splitArea: {show: true}};
      option.xAxis = {type: 'category', position: 'top', data: chart.columns, axisLabel: {rotate: 30, interval: 0},
        splitArea: {show: true}};
      option.grid.top = 90;
      option.visualMap = {min: 0, max: chart.max === null || chart.max <= 0 ? 1 : chart.max, calculable: false,
        orient: 'horizontal', left: 'center', bottom: 0, text: [chart.legend, ''], itemHeight: 120,
        inRange: {color: ['#ffffff', positive]}};
      option.series = [{type: 'heatmap', label: {show: true, fontSize: 11},
        data: chart.cells.map(function (c) {
          return {value: [c.column, c.row, c.value === null ? '-' : Number(c.value.toPrecision(4))], tip: c.tip};
        })}];
      return option;
    },

    curves: function (chart) {
      var option = base(chart);
      option.xAxis = valueAxis(chart.xAxis);
      option.xAxis.minInterval = 1;
      option.yAxis = valueAxis(chart.yAxis);
      option.yAxis.nameLocation = 'end';
      option.yAxis.nameGap = 12;
      option.legend = {bottom: 0, type: 'scroll'};
      option.grid.bottom = 56;
      // Series share a name per algorithm, so the legend toggles an algorithm's runs together.
      option.series = chart.series.map(function (s) {
        return {type: 'line', name: s.name, symbolSize: 5, lineStyle: {width: 1.2}, emphasis: {focus: 'series'},
          data: s.points.map(function (xy) {
            var value = xy[1] === null ? 'none' : Number(xy[1].toPrecision(4));
            return {value: xy, tip: s.tip.concat([chart.yAxis + ' ' + value + ' at epoch ' + xy[0]])};
          })};
      });
      return option;
    }
  };

  var drawn = [];
  spec.charts.forEach(function (chart) {
    var element = document.getElementById(chart.id);
    var instance = echarts.init(element, null, {renderer: 'canvas'});
    instance.setOption(build[chart.kind](chart));
    drawn.push(instance);
  });
  window.addEventListener('resize', function () {
    drawn.forEach(function (instance) { instance.resize(); });
  });
}());
