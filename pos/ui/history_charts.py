"""Charts of the reports window (QtCharts from PySide6-Addons): sales by day or hour, the
payment mix and the top goods. The pane only draws rows the window's reader already fetched."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

KINDS = ("day", "hour", "payment", "goods")


def hryvnias(kopecks: int) -> float:
    return kopecks / 100


class ChartPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.setObjectName("chartKind")
        for key in KINDS:
            self.kind.addItem(key, key)
        self.caption = QLabel()
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setObjectName("chartView")
        self._titles: dict[str, str] = {}
        self._sales = "Sales"
        self._returns = "Returns"
        top = QHBoxLayout()
        top.addWidget(self.caption)
        top.addWidget(self.kind)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.rows: list[dict[str, Any]] = []

    def retranslate(self, titles: dict[str, str], sales: str, returns: str) -> None:
        self._titles, self._sales, self._returns = titles, sales, returns
        for index, key in enumerate(KINDS):
            self.kind.setItemText(index, titles.get(key, key))

    def show_rows(
        self, kind: str, rows: list[dict[str, Any]], payment_names: dict[str, str]
    ) -> None:
        self.rows = rows
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setTitle(self._titles.get(kind, kind))
        if kind == "payment":
            pie = QPieSeries()
            for row in rows:
                name = payment_names.get(row["type"], row["type"])
                pie_slice = pie.append(f"{name}: {hryvnias(row['net_sum']):.2f}", row["net_sum"])
                pie_slice.setLabelVisible(True)
            chart.addSeries(pie)
        elif kind == "goods":
            series = QHorizontalBarSeries()
            bars = QBarSet(self._sales)
            names = []
            for row in reversed(rows):
                bars.append(hryvnias(row["net_sum"]))
                names.append(row["name"])
            series.append(bars)
            chart.addSeries(series)
            axis = QBarCategoryAxis()
            axis.append(names)
            chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
            series.attachAxis(axis)
            values = QValueAxis()
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
            series.attachAxis(values)
        else:
            columns = QBarSeries()
            sales, returns = QBarSet(self._sales), QBarSet(self._returns)
            labels = []
            for row in rows:
                sales.append(hryvnias(row["sales_sum"]))
                returns.append(hryvnias(row["returns_sum"]))
                label = row["period"]
                labels.append(label[11:16] if kind == "hour" and len(rows) <= 48 else label[5:])
            columns.append(sales)
            columns.append(returns)
            chart.addSeries(columns)
            axis = QBarCategoryAxis()
            axis.append(labels)
            chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
            columns.attachAxis(axis)
            values = QValueAxis()
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
            columns.attachAxis(values)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        old = self.chart
        self.chart = chart
        self.view.setChart(chart)
        old.deleteLater()
