// @asyncapi/html-template (the AsyncAPI docs in generated/docs/) depends on puppeteer for PDF
// output we do not make. Its postinstall would download a browser, which fails on these machines;
// npm 7+ no longer passes .npmrc keys to dependency scripts, so the skip lives in puppeteer's own
// configuration file, which it looks up from its install directory upwards.
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  'chrome-headless-shell': { skipDownload: true },
  firefox: { skipDownload: true },
};
