"""Reports made from the project: the annual report (政府信息公开工作年度报告) and the catalog
report."""
