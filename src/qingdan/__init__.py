"""qingdan: run a 责任清单 reporting cycle around one master Excel workbook."""

__version__ = "0.1.0"
