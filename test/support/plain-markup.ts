/**
 * Invoice content that is not plain markup (see server/src/engine/xml/plain-content.ts and the parser's skim): each
 * must be read by the general parser, where a problem or another tree can come from. Shared by the tests of both.
 */
export const NOT_PLAIN_MARKUP: readonly string[] = [
  '<Contact id="1"><Name>A</Name></Contact>',
  '<Name>&#233;</Name>',
  '<Name>&nbsp;</Name>',
  '<Name>A & B</Name>',
  '<!-- a comment --><Name>A</Name>',
  '<Name><![CDATA[A]]></Name>',
  '<?pi x?><Name>A</Name>',
  '<Name>A</Name >',
  '<Tracking><Tracking>x</Tracking></Tracking>',
  '<Name>A</Nmae>',
  '<Name>A',
];
