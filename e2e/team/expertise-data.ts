/**
 * The team history the "who knows what" benchmark and tests are built on: six helpers with distinct
 * specialities, each having resolved requests across several apps (a printing question asked in a
 * spreadsheet is still a printing question), plus everyday requests anyone resolved. NEW requests are
 * worded differently from the history and split into a DEV half and a BLIND half; the blind half was
 * committed before the ranking code existed and is never tuned on.
 */

/** One past or new request as a person wrote it, with what their screen showed. */
export interface ExpertiseCase {
  app: string;
  windowTitle: string;
  question: string;
  ocrText: string;
}

/** A resolved request of the history: who resolved it, the chat and the resolution. */
export interface ResolvedCase extends ExpertiseCase {
  helper: string;
  chat: string[];
  resolution: string;
}

/** A new request and the helper who should be suggested first. */
export interface NewCase extends ExpertiseCase {
  expert: string;
}

/** The six helpers and what each one knows best. */
export const HELPERS = {
  Priya: 'printing',
  Tomasz: 'pivot tables and charts',
  Grace: 'mail merge',
  Dmitri: 'PDF export',
  Keiko: 'keyboard shortcuts',
  Oluwaseun: 'network drives',
} as const;

/** A helper's name. */
export type HelperName = keyof typeof HELPERS;

const SCREENS = {
  gnumeric: { app: 'Gnumeric', windowTitle: 'sales-2026.gnumeric : Gnumeric' },
  calc: { app: 'LibreOffice Calc', windowTitle: 'budget.ods - LibreOffice Calc' },
  abiword: { app: 'AbiWord', windowTitle: 'letter.abw - AbiWord' },
  writer: { app: 'LibreOffice Writer', windowTitle: 'newsletter.odt - LibreOffice Writer' },
  mousepad: { app: 'Mousepad', windowTitle: 'notes.txt - Mousepad' },
  evince: { app: 'Document Viewer', windowTitle: 'invoice-0413.pdf — Document Viewer' },
  thunar: { app: 'Thunar', windowTitle: 'Documents - File Manager' },
  thunderbird: { app: 'Thunderbird', windowTitle: 'Inbox - Thunderbird' },
  inkscape: { app: 'Inkscape', windowTitle: 'poster.svg - Inkscape' },
} as const;

type ScreenKey = keyof typeof SCREENS;

/** Menu bars as OCR reads them: every screen of an app shows them, whatever the question is. */
const MENUS: Record<ScreenKey, string> = {
  gnumeric: 'File Edit View Insert Format Tools Statistics Data Help Sheet1 Sheet2 A B C D 1 2 3 Sum=0',
  calc: 'File Edit View Insert Format Styles Sheet Data Tools Window Help Sheet 1 of 1 Default',
  abiword: 'File Edit View Insert Format Tools Table Window Help Normal Times New Roman 12 Page 1 of 2',
  writer: 'File Edit View Insert Format Styles Table Form Tools Window Help Default Paragraph Style Liberation Serif',
  mousepad: 'File Edit Search View Document Help Line 1, Column 1 Filetype: None',
  evince: 'Open Zoom 100% Search Page 1 of 3',
  thunar: 'File Edit View Go Bookmarks Help Home Desktop Trash Documents Downloads Music Network Browse Network',
  thunderbird: 'Get Messages Write Chat Address Book Tag Quick Filter Inbox Sent Drafts Trash',
  inkscape: 'File Edit View Layer Object Path Text Filters Extensions Help X: Y: W: H:',
};

function screen(key: ScreenKey, extra: string): Pick<ExpertiseCase, 'app' | 'windowTitle' | 'ocrText'> {
  return { ...SCREENS[key], ocrText: `${MENUS[key]} ${extra}` };
}

/** [screen, what the dialog or window showed, question, chat lines, resolution] per resolved request. */
type Row = [ScreenKey, string, string, string[], string];

const HISTORY: Record<HelperName, Row[]> = {
  Priya: [
    [
      'abiword',
      'Print Printer: Office-LaserJet Copies 1 Pages All Print',
      'my letter prints on two pages but it fits on one on screen',
      ['what paper size is set?', 'it says Letter'],
      'Page Setup was on Letter, switched to A4 and the letter printed on one page',
    ],
    [
      'mousepad',
      'Print Page Setup Printer Office-LaserJet Status: Paused',
      'nothing comes out of the printer when I click print',
      ['the queue shows Paused'],
      'the printer queue was paused; resumed it in the printer settings and the job printed',
    ],
    [
      'gnumeric',
      'Print Preview Page 1 of 14 Scaling Fit to 1 page wide',
      'the spreadsheet prints on 14 pages with one column on each',
      ['open File > Page Setup'],
      'set scaling to fit 1 page wide in Page Setup, now it prints on 2 pages',
    ],
    [
      'evince',
      'Print General Page Setup Duplex Long Edge Two-sided',
      'how do I print on both sides of the paper',
      ['is your printer duplex capable?'],
      'turned on two-sided long edge in the print dialog Page Setup tab',
    ],
    [
      'writer',
      'Print Printer Office-LaserJet Properties Paper tray Tray 2 Manual feed',
      'it prints on plain paper but I want the letterhead tray',
      ['pick Properties next to the printer'],
      'chose Tray 2 in printer Properties so it prints on letterhead',
    ],
    [
      'calc',
      'Format Print Ranges Define Clear Edit Print Range',
      'only part of my sheet gets printed, the rest is cut off',
      ['a print range is defined'],
      'cleared the old print range under Format > Print Ranges so the whole sheet prints',
    ],
    [
      'abiword',
      'Print Printer Office-LaserJet Office-Colour Copies 1',
      'my document goes to the wrong printer downstairs',
      ['which printer do you want?'],
      'picked Office-Colour as the printer in the print dialog and set it as default',
    ],
    [
      'mousepad',
      'Page Setup Orientation Portrait Landscape Margins',
      'long lines get cut off at the right edge when printing',
      ['try landscape'],
      'switched page orientation to landscape in Page Setup, lines print in full',
    ],
    [
      'gnumeric',
      'Page Setup Header Footer Print Titles Rows to repeat at top',
      'the headings only print on the first page',
      ['Page Setup > Sheet tab'],
      'set rows to repeat at top under Print Titles so the header row prints on every page',
    ],
    [
      'evince',
      'Print Job Printer Status Out of toner Cancel',
      'printing stops halfway and the printer blinks orange',
      ['what does the status say?'],
      'the printer was out of toner; replaced the cartridge and reprinted the remaining pages',
    ],
  ],
  Tomasz: [
    [
      'gnumeric',
      'Data Pivot Table Source range Sheet1!A1:F300 Fields Rows Columns Values',
      'I need a summary of sales per region from my sheet',
      ['use a pivot table'],
      'made a pivot table from Data > Pivot Table with Region in rows and Amount as sum in values',
    ],
    [
      'calc',
      'Insert Chart Chart Type Column Bar Pie Line Data Range',
      'how do I turn these numbers into a bar graph',
      ['select the numbers first'],
      'selected the range and used Insert > Chart, picked Column type',
    ],
    [
      'gnumeric',
      'Pivot Table Refresh Data Source changed',
      'my pivot table still shows the old totals after I added rows',
      ['the source range ends at row 300'],
      'extended the pivot source range and refreshed the pivot table',
    ],
    [
      'calc',
      'Chart Data Series Y Values Categories Legend',
      'the chart legend says Series1 instead of the month names',
      ['which column has the months?'],
      'set the categories range to the month column in Chart Data Ranges so the legend shows names',
    ],
    [
      'writer',
      'Insert Chart Chart Data Table Column 1 Column 2',
      'I want a pie chart in my report with the survey results',
      ['insert a chart and edit its data table'],
      'inserted a chart in Writer, switched it to pie and typed the survey numbers in the chart data table',
    ],
    [
      'gnumeric',
      'Pivot Table Group Dates Months Quarters Years',
      'can I see the totals by month instead of every single day',
      ['group the date field'],
      'grouped the date field by month in the pivot table',
    ],
    [
      'calc',
      'Chart Axis Y Scale Minimum Maximum Logarithmic',
      'the bars all look the same height in my graph',
      ['the axis starts at zero?'],
      'changed the Y axis minimum so the differences between the bars show',
    ],
    [
      'gnumeric',
      'Pivot Table Values Sum Count Average Field Settings',
      'the summary counts orders instead of adding up the amounts',
      ['check the value field settings'],
      'changed the pivot value field from Count to Sum',
    ],
    [
      'inkscape',
      'Import Chart PNG Link Embed',
      'I copied my chart into the poster and it is blurry',
      ['export the chart as SVG'],
      'exported the chart from Calc as SVG and imported that into Inkscape, the chart stays sharp',
    ],
    [
      'calc',
      'Insert Chart Line Points and Lines Data Series in Rows Columns',
      'the line graph mixes up my years and my products',
      ['data series in rows or columns?'],
      'switched data series from rows to columns in the chart wizard',
    ],
  ],
  Grace: [
    [
      'writer',
      'Mail Merge Wizard Select starting document Address list Mail merge fields',
      'I have to send the same letter to 200 customers with their names',
      ['use the mail merge wizard'],
      'set up a mail merge with the customer list as address list and inserted name fields',
    ],
    [
      'abiword',
      'Tools Mail Merge Open data source customers.csv Insert field',
      'how do I put each person name from my list into the letter',
      ['do you have the list as csv?'],
      'opened customers.csv as mail merge data source and inserted the Name field',
    ],
    [
      'writer',
      'Mail Merge Output Save merged document Print Send email Individual documents',
      'it makes one huge file, I need a separate letter for everyone',
      ['choose individual documents'],
      'saved the merged output as individual documents, one per customer',
    ],
    [
      'thunderbird',
      'Write Mail Merge Add-on Recipients {{FirstName}} Send Later',
      'can I send personal emails to the whole club list without typing each one',
      ['the mail merge add-on can do it'],
      'used the mail merge add-on with {{FirstName}} placeholders and the club csv',
    ],
    [
      'writer',
      'Mail Merge Address Block Salutation Dear Mr Ms Match fields',
      'the greeting says Dear <Last Name> instead of the actual name',
      ['match the fields to your columns'],
      'matched the salutation fields to the csv columns in the mail merge wizard',
    ],
    [
      'abiword',
      'Mail Merge Data source Fields Name Street City Postcode',
      'the addresses come out empty in my letters',
      ['the column names changed'],
      'renamed the csv header to Street so the merge field finds it again',
    ],
    [
      'writer',
      'Envelope Labels Mail Merge Database Table Sheet1',
      'I need address labels for the christmas cards from the spreadsheet',
      ['labels with the sheet as database'],
      'made labels with Insert > Envelope/Labels using the spreadsheet as the database, then merged',
    ],
    [
      'writer',
      'Mail Merge Exclude recipient Filter Standard filter Country',
      'I only want to send the letter to people in Germany',
      ['filter the recipients'],
      'filtered the mail merge recipients with a standard filter on Country = Germany',
    ],
    [
      'thunderbird',
      'Mail Merge Preview Attachment Send Now',
      'every email of the mailing must have its own invoice attached',
      ['name the attachments after the customer'],
      'set the mail merge attachment column to each customer invoice file',
    ],
    [
      'abiword',
      'Mail Merge Preview Record 1 of 54 Next Previous',
      'how can I check the letters before I print all 54 of them',
      ['use preview'],
      'stepped through the mail merge preview record by record before printing',
    ],
  ],
  Dmitri: [
    [
      'writer',
      'Export as PDF General Range Images JPEG compression Quality 90%',
      'my pdf is 40 MB and the email bounces',
      ['lower the image quality'],
      'exported as PDF with JPEG compression at 75% and reduced resolution, 2 MB now',
    ],
    [
      'abiword',
      'Export File Type PDF Save as type',
      'how do I make a pdf of my document for the client',
      ['File > Export'],
      'used File > Export and picked PDF as the file type',
    ],
    [
      'gnumeric',
      'Export PDF Scaling Page Setup sheet-to-pdf',
      'when I save the spreadsheet as pdf only the first sheet is in it',
      ['export each sheet or the whole workbook?'],
      'exported the whole workbook to PDF instead of the active sheet',
    ],
    [
      'inkscape',
      'Save as PDF Text output options Embed fonts Convert text to paths',
      'the letters look different in the pdf on the printer shop computer',
      ['embed the fonts'],
      'saved as PDF with text converted to paths so the fonts look the same everywhere',
    ],
    [
      'writer',
      'Export as PDF Security Set Passwords Open password Permissions',
      'can I put a password on the pdf before sending the contract',
      ['Security tab in the export dialog'],
      'set an open password on the Security tab of Export as PDF',
    ],
    [
      'evince',
      'Document Properties PDF Producer Format PDF-1.4 Page Size A4',
      'the tender portal says my file must be PDF/A',
      ['export again with PDF/A'],
      're-exported from Writer with the PDF/A archive option ticked',
    ],
    [
      'calc',
      'Export as PDF Range Selection Whole sheet Pages',
      'I want a pdf of just the table I selected, not the whole sheet',
      ['use Selection'],
      'chose Selection as the range in Export as PDF',
    ],
    [
      'writer',
      'Export as PDF Links Export bookmarks Hyperlinks Convert document references',
      'the table of contents links do not work in my pdf',
      ['export bookmarks'],
      'ticked Export bookmarks and hyperlinks options, the table of contents links work in the PDF',
    ],
    [
      'inkscape',
      'Export PDF Bleed Export area Page Drawing',
      'the pdf for the printer cuts off the edge of my poster',
      ['add bleed'],
      'exported the PDF with 3 mm bleed and the page as export area',
    ],
    [
      'abiword',
      'Export PDF Images missing Linked image',
      'the pictures are missing in the exported pdf',
      ['are the pictures linked?'],
      'embedded the linked pictures in the document, then exported the PDF again',
    ],
  ],
  Keiko: [
    [
      'writer',
      'Tools Customize Keyboard Shortcut keys Function Modify',
      'is there a faster way to apply the heading style without the mouse',
      ['assign a key'],
      'assigned Ctrl+1 to Heading 1 in Tools > Customize > Keyboard',
    ],
    [
      'gnumeric',
      'Edit Fill Ctrl+D Ctrl+Enter',
      'how do I copy the formula down the column quickly without dragging',
      ['select the cells and use a shortcut'],
      'selected the range and pressed Ctrl+D to fill the formula down',
    ],
    [
      'mousepad',
      'Search Find and Replace Ctrl+R Ctrl+F',
      'I keep clicking through menus to replace words',
      ['there is a key for it'],
      'showed Ctrl+R for find and replace and Ctrl+F for find',
    ],
    [
      'thunar',
      'Go Home Alt+Home Ctrl+L Location',
      'typing the folder path is faster for me than clicking, how',
      ['Ctrl+L opens the location bar'],
      'Ctrl+L opens the location bar where the path can be typed',
    ],
    [
      'abiword',
      'Format Bold Ctrl+B Italic Ctrl+I Underline Ctrl+U',
      'what are the keys for bold and italic',
      ['same as in most apps'],
      'Ctrl+B is bold, Ctrl+I italic, Ctrl+U underline',
    ],
    [
      'calc',
      'Sheet Navigate Ctrl+Page Down Ctrl+Page Up Go to Sheet',
      'how do I jump between sheets with the keyboard',
      ['Ctrl and page keys'],
      'Ctrl+Page Down and Ctrl+Page Up move to the next and previous sheet',
    ],
    [
      'inkscape',
      'Edit Preferences Keyboard Shortcuts Search Reset',
      'my shortcut for zoom stopped working after I changed something',
      ['check the shortcuts preferences'],
      'reset the keyboard shortcuts in Preferences > Interface > Keyboard',
    ],
    [
      'writer',
      'Edit Paste Special Ctrl+Shift+V Unformatted text',
      'when I paste from a website I get all the fonts and colours',
      ['paste as plain text'],
      'Ctrl+Shift+V then Unformatted text pastes without the formatting',
    ],
    [
      'gnumeric',
      'Insert Current date Ctrl+; Current time Ctrl+:',
      "is there a key to type today's date in a cell",
      ['yes'],
      'Ctrl+; inserts the current date in the cell',
    ],
    [
      'thunderbird',
      'Message Reply Ctrl+R Reply All Ctrl+Shift+R Forward Ctrl+L',
      'I answer a hundred emails a day, which keys save me time',
      ['learn the reply keys'],
      'Ctrl+R reply, Ctrl+Shift+R reply all, Ctrl+L forward, Ctrl+Enter send',
    ],
  ],
  Oluwaseun: [
    [
      'thunar',
      'Network Browse Network smb://fileserver/shared Connect to Server Username Password Domain',
      'I cannot see the shared folder of the accounting team anymore',
      ['connect with smb'],
      'connected to smb://fileserver/shared with the domain login and bookmarked it',
    ],
    [
      'gnumeric',
      'Open File Location smb://fileserver/finance/budget.gnumeric Permission denied',
      'the budget file on the server says permission denied',
      ['are you in the finance group?'],
      'added the user to the finance group on the file server share',
    ],
    [
      'thunar',
      'Connect to Server Server Address Type Windows share Remember password',
      'it asks for my password every morning for the team folder',
      ['tick remember password'],
      'reconnected the Windows share with remember password ticked',
    ],
    [
      'writer',
      'Save As Other Locations Networks Windows Network fileserver',
      'how do I save my document straight to the department folder on the server',
      ['Other Locations in the save dialog'],
      'used Other Locations > Networks in the save dialog to save on the file server',
    ],
    [
      'thunar',
      'Network Mount Unmount fileserver Disconnected Reconnect',
      'the S: drive disappeared after the laptop went to sleep',
      ['remount it'],
      'remounted the share, and set it to reconnect at login',
    ],
    [
      'calc',
      'File is locked for editing by another user Open Read-Only Notify',
      'the shared sheet on the server says someone else has it open but nobody does',
      ['stale lock file'],
      'deleted the stale .~lock file in the shared network folder',
    ],
    [
      'thunar',
      'Network Windows Network WORKGROUP No shares found',
      'the network folder is empty when I look for the printer share and files',
      ['the workgroup name is wrong'],
      'changed the workgroup to OFFICE and the file server shares appeared',
    ],
    [
      'abiword',
      'Open Recent smb://nas/projects/report.abw File not found',
      'my recent files from the NAS do not open any more',
      ['the NAS got a new name'],
      'the NAS was renamed to nas2; opened the files from smb://nas2/projects',
    ],
    [
      'thunar',
      'Copying to fileserver Speed 120 KB/s Remaining 2 hours',
      'copying to the shared drive takes forever',
      ['are you on wifi?'],
      'plugged into the wired network; copying to the file server share is fast again',
    ],
    [
      'gnumeric',
      'Save Error writing smb://fileserver/sales/q3.gnumeric Disk quota exceeded',
      'I cannot save on the network folder, it gives an error',
      ['quota'],
      'the quota of the sales share was full; archived old files to free space',
    ],
  ],
};

/** Everyday requests anyone could solve (resolved by several helpers): noise around the specialities. */
const EVERYDAY: Array<[HelperName, Row]> = [
  [
    'Priya',
    [
      'gnumeric',
      'Format Cells Number Date Currency',
      'the dates show as numbers like 45321',
      ['format as date'],
      'formatted the cells as Date',
    ],
  ],
  [
    'Tomasz',
    [
      'abiword',
      'Insert Picture Wrap text',
      'how do I put a picture next to my text',
      ['image wrapping'],
      'inserted the picture and set text wrapping',
    ],
  ],
  [
    'Grace',
    [
      'gnumeric',
      'Format Column Width Autofit',
      'the text does not fit in the column',
      ['widen the column'],
      'made the column wider by double-clicking the border',
    ],
  ],
  [
    'Dmitri',
    [
      'mousepad',
      'View Word Wrap Line Numbers',
      'my text runs off the screen to the right',
      ['turn on word wrap'],
      'turned on View > Word Wrap',
    ],
  ],
  [
    'Keiko',
    [
      'writer',
      'Format Paragraph Line Spacing 1.5 Double',
      'how do I make the lines further apart',
      ['line spacing'],
      'set line spacing to 1.5 in Format > Paragraph',
    ],
  ],
  [
    'Oluwaseun',
    [
      'calc',
      'Data Sort Ascending Descending',
      'how do I put the names in alphabetical order',
      ['sort the data'],
      'used Data > Sort ascending on the name column',
    ],
  ],
  [
    'Priya',
    [
      'writer',
      'Tools Spelling Language English German',
      'the spell check marks every word red',
      ['wrong language'],
      'set the text language to English in Tools > Language',
    ],
  ],
  [
    'Tomasz',
    [
      'thunderbird',
      'Junk Not Junk Mark',
      'important emails land in junk',
      ['mark as not junk'],
      'marked the sender as not junk and added them to the address book',
    ],
  ],
];

function resolved(helper: HelperName, row: Row): ResolvedCase {
  const [key, dialog, question, chat, resolution] = row;
  return { helper, ...screen(key, dialog), question, chat, resolution };
}

/** The resolved history: 60 speciality requests and 8 everyday ones. */
export const RESOLVED_HISTORY: ResolvedCase[] = [
  ...(Object.entries(HISTORY) as Array<[HelperName, Row[]]>).flatMap(([helper, rows]) =>
    rows.map((row) => resolved(helper, row)),
  ),
  ...EVERYDAY.map(([helper, row]) => resolved(helper, row)),
];

type NewRow = [HelperName, ScreenKey, string, string];

function newCase([expert, key, dialog, question]: NewRow): NewCase {
  return { expert, ...screen(key, dialog), question };
}

/** New requests worded differently from the history, used while building the ranking (dev half). */
export const DEV_REQUESTS: NewCase[] = (
  [
    ['Priya', 'gnumeric', 'Print Preview Page 3 of 9', 'the printout of my table is spread over nine sheets of paper'],
    [
      'Priya',
      'writer',
      'Print Printer Office-LaserJet Status Offline',
      'the printer does not react when I send my file',
    ],
    ['Priya', 'thunderbird', 'Print Preview Page Setup', 'when I print an email the text is tiny'],
    ['Tomasz', 'gnumeric', 'Data Pivot Table', 'I want totals per salesperson from this list of orders'],
    ['Tomasz', 'calc', 'Chart Type Column Bar', 'my graph should show two years side by side'],
    ['Tomasz', 'writer', 'Insert Chart', 'how to add a diagram of the numbers to the report'],
    ['Grace', 'writer', 'Mail Merge Wizard', 'a letter to every member of the association with their address'],
    ['Grace', 'thunderbird', 'Write Recipients', 'sending a personalised email to 80 parents at once'],
    ['Grace', 'abiword', 'Mail Merge Data source', 'the names from the csv file should fill in the invitation'],
    ['Dmitri', 'writer', 'Export as PDF', 'the client wants the quote as a pdf and not as a Word file'],
    ['Dmitri', 'inkscape', 'Save as PDF', 'the fonts change when the flyer is opened as pdf elsewhere'],
    ['Dmitri', 'calc', 'Export as PDF Range', 'export only the summary table of the sheet to a pdf'],
    ['Keiko', 'gnumeric', 'Edit Fill', 'is there a key combination to fill the cells below'],
    ['Keiko', 'writer', 'Tools Customize Keyboard', 'I would like a shortcut for my quote style'],
    ['Keiko', 'thunderbird', 'Message Reply', 'which key forwards an email'],
    ['Oluwaseun', 'thunar', 'Network Browse Network', 'the team share on the file server is gone from my computer'],
    ['Oluwaseun', 'writer', 'Save As Other Locations', 'saving onto the shared department drive'],
    [
      'Oluwaseun',
      'gnumeric',
      'Open Permission denied smb://fileserver',
      'access denied when I open the sheet from the server',
    ],
  ] as NewRow[]
).map(newCase);

/** New requests worded differently from the history, never looked at while tuning (blind half). */
export const BLIND_REQUESTS: NewCase[] = (
  [
    ['Priya', 'calc', 'Print Printer Office-Colour Copies', 'half of my columns are missing on the paper copy'],
    ['Priya', 'abiword', 'Print Duplex Two-sided', 'can the printer use both sides so I save paper'],
    ['Priya', 'evince', 'Print Printer Status', 'I pressed print three times and got nothing'],
    ['Tomasz', 'calc', 'Data Pivot Table Fields', 'summarise the expenses by department and month'],
    ['Tomasz', 'gnumeric', 'Insert Chart', 'make a pie diagram showing the share of each product'],
    ['Tomasz', 'writer', 'Chart Data Table', 'the axis of the graph in my document shows the wrong labels'],
    ['Grace', 'abiword', 'Mail Merge Insert field', 'personalised letters for all customers in my address file'],
    ['Grace', 'writer', 'Envelope Labels', 'printing sticker labels with the addresses from my sheet'],
    ['Grace', 'thunderbird', 'Mail Merge Recipients', 'the same newsletter by email but with each first name'],
    ['Dmitri', 'abiword', 'Export File Type PDF', 'I need to turn the report into a pdf file'],
    ['Dmitri', 'writer', 'Export as PDF Images Quality', 'the pdf is far too big to email'],
    ['Dmitri', 'evince', 'Document Properties PDF', 'the pdf links to the chapters do not jump anywhere'],
    ['Keiko', 'calc', 'Sheet Navigate', 'moving to the next tab of the workbook with the keyboard'],
    ['Keiko', 'mousepad', 'Search Find', 'key to search for a word in the file'],
    ['Keiko', 'writer', 'Edit Paste Special', 'pasting text without its original formatting, is there a key'],
    ['Oluwaseun', 'thunar', 'Connect to Server Password', 'the shared folder keeps asking me to log in again'],
    [
      'Oluwaseun',
      'calc',
      'File is locked by another user',
      'the server copy of the sheet is locked and no one is using it',
    ],
    ['Oluwaseun', 'thunar', 'Network Mount Disconnected', 'after restarting the mapped drive is not there'],
  ] as NewRow[]
).map(newCase);
