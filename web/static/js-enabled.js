// GOV.UK Frontend styles pages that run scripts by this class (a file, not inline: the CSP allows no inline script)
document.body.className += " js-enabled";
