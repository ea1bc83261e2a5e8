// Opened as "PDF (print)": ask the browser to print the report once it has laid out the page.
window.addEventListener("load", function () { window.setTimeout(function () { window.print(); }, 300); });
