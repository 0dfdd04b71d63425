"""Office documents from the same data: the summary as a 公文 DOCX, statistics as Excel, Excel in."""
