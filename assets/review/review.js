// normgrid review copy. Reads the project's data from the JSON block, builds the grid and the
// detail panel with createElement/textContent only (no project string is ever parsed as
// HTML), and keeps the reviewer's verdicts in localStorage until "Save my review".
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('normgrid-data').textContent);
  var project = data.project;
  var STORAGE_KEY = 'normgrid-review:' + project.id + ':' + project.made_at;

  // ---- lookups ---------------------------------------------------------------------------
  var assessmentByKey = {};
  data.assessments.forEach(function (a) { assessmentByKey[a.key] = a; });
  var reviewLabel = {};
  data.review_statuses.forEach(function (s) { reviewLabel[s.key] = s.label; });
  var verdictLabel = {};
  data.verdicts.forEach(function (v) { verdictLabel[v.key] = v.label; });
  var spaceLabel = {};
  data.spaces.forEach(function (s) { spaceLabel[s.key] = s.label; });
  var bindingLabel = {};
  data.bindings.forEach(function (b) { bindingLabel[b.key] = b.label; });

  // Columns in grid order, each with its framework's position.
  var columns = [];
  data.frameworks.forEach(function (framework, fi) {
    framework.elements.forEach(function (element) {
      columns.push({ framework: framework, frameworkIndex: fi, element: element });
    });
  });
  var columnByElement = {};
  columns.forEach(function (c, i) { columnByElement[c.element.id] = i; });
  var agreementById = {};
  data.agreements.forEach(function (a) { agreementById[a.id] = a; });

  function cellOf(agreement, elementId) {
    return agreement.cells[elementId] || null;
  }
  function assessmentOf(agreement, elementId) {
    var cell = cellOf(agreement, elementId);
    return cell ? cell.assessment : 'NotAssessed';
  }
  function rowName(agreement) {
    return agreement.short_name || agreement.name;
  }
  function columnName(element) {
    return element.label ? element.label + ' ' + element.name : element.name;
  }

  // ---- small DOM helpers -----------------------------------------------------------------
  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function option(value, text) {
    var node = document.createElement('option');
    node.value = value;
    node.textContent = text;
    return node;
  }
  function labelled(text, control) {
    var label = make('label', 'control');
    label.appendChild(make('span', null, text));
    label.appendChild(control);
    return label;
  }
  function when(date) {
    if (!date) { return ''; }
    var d = new Date(date);
    return isNaN(d.getTime()) ? String(date) : d.toISOString().slice(0, 10);
  }

  // ---- the reviewer's state, kept in localStorage ---------------------------------------
  // drafts: comments typed before a verdict is chosen, so they are not lost.
  var review = { reviewer: '', verdicts: {}, drafts: {} };
  var storageWorks = true;
  try {
    var stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored) {
      var parsed = JSON.parse(stored);
      if (parsed && typeof parsed === 'object') {
        review.reviewer = typeof parsed.reviewer === 'string' ? parsed.reviewer : '';
        review.verdicts = parsed.verdicts && typeof parsed.verdicts === 'object' ? parsed.verdicts : {};
        review.drafts = parsed.drafts && typeof parsed.drafts === 'object' ? parsed.drafts : {};
        review.unsaved = parsed.unsaved === true;
      }
    }
  } catch (e) {
    storageWorks = false;
  }
  function persist() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(review));
    } catch (e) {
      storageWorks = false;
      showStorageWarning();
    }
  }
  function verdictKey(agreementId, elementId) {
    return agreementId + '\u0000' + elementId;
  }

  // ---- page skeleton ---------------------------------------------------------------------
  var body = document.body;
  var header = make('header', 'page-header');
  header.appendChild(make('h1', null, project.title));
  header.appendChild(make('p', 'meta', 'Review copy of the mapping as of ' + project.as_of +
    ', made ' + when(project.made_at) + '. ' + data.agreements.length + ' agreements, ' +
    columns.length + ' elements.'));
  if (project.description) { header.appendChild(make('p', 'description', project.description)); }
  body.appendChild(header);

  // Legend: colour, letter and words, so meaning never rests on colour.
  var legend = make('section', 'legend');
  legend.setAttribute('aria-label', 'Legend');
  data.assessments.forEach(function (a) {
    var item = make('span', 'legend-item');
    item.appendChild(make('span', 'swatch a-' + a.key, a.letter));
    item.appendChild(make('span', null, a.label));
    legend.appendChild(item);
  });
  data.verdicts.forEach(function (v) {
    var item = make('span', 'legend-item');
    item.appendChild(make('span', 'swatch verdict-swatch v-' + v.key, ''));
    item.appendChild(make('span', null, 'Your verdict: ' + v.label));
    legend.appendChild(item);
  });
  // The project's own review marks, so a reviewer sees where the group already disagrees.
  [['Disputed', 'Disputed in the project'], ['NeedsReview', 'Needs review in the project']].forEach(function (p) {
    var item = make('span', 'legend-item');
    item.appendChild(make('span', 'swatch a-NotAssessed p-' + p[0], ''));
    item.appendChild(make('span', null, p[1]));
    legend.appendChild(item);
  });
  body.appendChild(legend);

  // Reviewer bar.
  var reviewerBar = make('section', 'reviewer no-print');
  reviewerBar.setAttribute('aria-label', 'Your review');
  var nameInput = make('input');
  nameInput.type = 'text';
  nameInput.id = 'reviewer-name';
  nameInput.autocomplete = 'name';
  nameInput.placeholder = 'Your name';
  nameInput.value = review.reviewer;
  nameInput.addEventListener('change', function () {
    review.reviewer = nameInput.value.trim();
    persist();
    updateProgress();
  });
  reviewerBar.appendChild(labelled('Reviewer', nameInput));
  var saveButton = make('button', 'save', 'Save my review');
  saveButton.type = 'button';
  saveButton.id = 'save-review';
  saveButton.addEventListener('click', saveReview);
  reviewerBar.appendChild(saveButton);
  var progress = make('span', 'progress');
  progress.setAttribute('role', 'status');
  reviewerBar.appendChild(progress);
  var storageWarning = make('span', 'warning');
  reviewerBar.appendChild(storageWarning);
  body.appendChild(reviewerBar);
  function showStorageWarning() {
    storageWarning.textContent = 'This browser does not keep your verdicts between visits: ' +
      'save your review before closing the tab.';
  }
  if (!storageWorks) { showStorageWarning(); }

  // Controls.
  var controls = make('section', 'controls no-print');
  controls.setAttribute('aria-label', 'Filters');
  var frameworkBoxes = [];
  var frameworkGroup = make('fieldset', 'frameworks');
  frameworkGroup.appendChild(make('legend', null, 'Frameworks'));
  data.frameworks.forEach(function (framework) {
    var box = make('input');
    box.type = 'checkbox';
    box.checked = true;
    box.dataset.framework = framework.id;
    box.addEventListener('change', function () { applyFrameworks(); });
    frameworkBoxes.push(box);
    var label = make('label', 'check');
    label.appendChild(box);
    label.appendChild(make('span', null, framework.name));
    frameworkGroup.appendChild(label);
  });
  controls.appendChild(frameworkGroup);

  var spaceSelect = make('select');
  spaceSelect.id = 'filter-space';
  spaceSelect.appendChild(option('', 'Any space'));
  data.spaces.forEach(function (s) { spaceSelect.appendChild(option(s.key, s.label)); });
  spaceSelect.addEventListener('change', applyFilters);
  controls.appendChild(labelled('Space', spaceSelect));

  var bindingSelect = make('select');
  bindingSelect.id = 'filter-binding';
  bindingSelect.appendChild(option('', 'Any binding'));
  data.bindings.forEach(function (b) { bindingSelect.appendChild(option(b.key, b.label)); });
  bindingSelect.addEventListener('change', applyFilters);
  controls.appendChild(labelled('Binding', bindingSelect));

  var searchInput = make('input');
  searchInput.type = 'search';
  searchInput.id = 'search';
  searchInput.placeholder = 'Names, notes, quotes';
  searchInput.addEventListener('input', applyFilters);
  controls.appendChild(labelled('Search', searchInput));

  var viewSelect = make('select');
  viewSelect.id = 'saved-view';
  viewSelect.appendChild(option('', 'No saved view'));
  data.views.forEach(function (v, i) { viewSelect.appendChild(option(String(i), v.name)); });
  viewSelect.addEventListener('change', function () {
    var view = data.views[Number(viewSelect.value)];
    applyView(viewSelect.value === '' ? null : view);
  });
  // A project without saved views gets no control that could only say so.
  if (data.views.length) { controls.appendChild(labelled('Saved view', viewSelect)); }

  var clearButton = make('button', null, 'Clear filters');
  clearButton.type = 'button';
  clearButton.addEventListener('click', function () { viewSelect.value = ''; applyView(null); });
  controls.appendChild(clearButton);

  var count = make('p', 'count');
  count.id = 'row-count';
  count.setAttribute('role', 'status');
  controls.appendChild(count);
  body.appendChild(controls);

  // ---- the grid ----------------------------------------------------------------------------
  var main = make('main', 'layout');
  var gridWrap = make('div', 'grid-wrap');
  var table = make('table', 'grid');
  table.id = 'grid';
  var caption = make('caption', null, 'Agreements × elements. Click a cell for its details.');
  table.appendChild(caption);
  var thead = make('thead');
  var groupRow = make('tr');
  var corner = make('th', 'corner', 'Agreement');
  corner.rowSpan = 2;
  corner.scope = 'col';
  groupRow.appendChild(corner);
  data.frameworks.forEach(function (framework, fi) {
    if (!framework.elements.length) { return; }
    var th = make('th', 'group fw-' + fi, framework.name);
    th.colSpan = framework.elements.length;
    th.scope = 'colgroup';
    groupRow.appendChild(th);
  });
  thead.appendChild(groupRow);
  var headRow = make('tr');
  var columnFilters = {}; // element id -> array of assessment keys
  var columnSelects = [];
  columns.forEach(function (column) {
    var element = column.element;
    var th = make('th', 'col fw-' + column.frameworkIndex);
    th.scope = 'col';
    th.title = columnName(element) + (element.description ? ' — ' + element.description : '');
    var name = make('span', 'col-name', element.label || element.name);
    th.appendChild(name);
    var select = make('select', 'col-filter no-print');
    select.setAttribute('aria-label', 'Filter ' + columnName(element));
    select.dataset.element = element.id;
    // Letter first: the narrow closed select still shows which value it filters on.
    select.appendChild(option('', '∗ any'));
    data.assessments.forEach(function (a) { select.appendChild(option(a.key, a.letter + ' ' + a.label)); });
    select.addEventListener('change', function () {
      if (select.value === '') { delete columnFilters[element.id]; } else if (select.value !== '*') {
        columnFilters[element.id] = [select.value];
      }
      th.classList.toggle('filtered', !!columnFilters[element.id]);
      applyFilters();
    });
    columnSelects.push(select);
    th.appendChild(select);
    headRow.appendChild(th);
  });
  thead.appendChild(headRow);
  table.appendChild(thead);

  var tbody = make('tbody');
  var rows = [];
  var cellNodes = {}; // verdict key -> td
  var fragment = document.createDocumentFragment();
  data.agreements.forEach(function (agreement, ai) {
    var tr = make('tr');
    tr.dataset.agreement = agreement.id;
    var th = make('th', 'row-name', rowName(agreement));
    th.scope = 'row';
    th.title = agreement.name;
    tr.appendChild(th);
    var name = rowName(agreement);
    for (var ci = 0; ci < columns.length; ci++) {
      var column = columns[ci];
      var key = assessmentOf(agreement, column.element.id);
      var a = assessmentByKey[key] || assessmentByKey.NotAssessed;
      var td = document.createElement('td');
      td.className = 'cell a-' + a.key + ' fw-' + column.frameworkIndex;
      var stored = cellOf(agreement, column.element.id);
      var flagged = stored && (stored.review === 'Disputed' || stored.review === 'NeedsReview');
      if (flagged) { td.className += ' p-' + stored.review; }
      td.textContent = a.letter;
      td.tabIndex = -1;
      td.setAttribute('role', 'button');
      td.setAttribute('data-agreement', agreement.id);
      td.setAttribute('data-element', column.element.id);
      // Kept in one place: markCell adds the verdict to this label.
      td.baseLabel = name + ' / ' + column.element.name + ': ' + a.label +
        (flagged ? ' (' + reviewLabel[stored.review] + ' in the project)' : '');
      td.setAttribute('aria-label', td.baseLabel);
      tr.appendChild(td);
      cellNodes[verdictKey(agreement.id, column.element.id)] = td;
    }
    tr.rowData = ai;
    rows.push({ agreement: agreement, tr: tr, index: ai, shown: true });
    fragment.appendChild(tr);
  });
  tbody.appendChild(fragment);
  table.appendChild(tbody);
  gridWrap.appendChild(table);
  main.appendChild(gridWrap);
  // Only the first cell is in the tab order; arrows move between cells.
  var firstCell = tbody.querySelector('td.cell');
  if (firstCell) { firstCell.tabIndex = 0; }

  // The detail panel.
  var detail = make('aside', 'detail');
  detail.id = 'detail';
  detail.setAttribute('aria-label', 'Cell details');
  detail.setAttribute('aria-live', 'polite');
  detail.appendChild(make('p', 'hint', 'Click a cell to see its assessment, evidence and history, and to give your verdict.'));
  main.appendChild(detail);
  body.appendChild(main);

  // Charts.
  if (data.charts.length) {
    var charts = make('section', 'charts');
    charts.appendChild(make('h2', null, 'Charts'));
    data.charts.forEach(function (chart) {
      var figure = make('figure');
      var img = make('img');
      img.src = chart.data_url;
      img.alt = chart.title;
      img.loading = 'lazy';
      figure.appendChild(img);
      figure.appendChild(make('figcaption', null, chart.title));
      charts.appendChild(figure);
    });
    body.appendChild(charts);
  }
  body.appendChild(make('p', 'footer', 'Made with normgrid. This page makes no network request; your verdicts stay in this browser until you save your review and send the file.'));

  // ---- filtering ---------------------------------------------------------------------------
  var reviewFilter = null;
  function shownColumn(ci) {
    return frameworkBoxes[columns[ci].frameworkIndex].checked;
  }
  function rowMatches(row) {
    var a = row.agreement;
    if (spaceSelect.value && a.space !== spaceSelect.value) { return false; }
    if (bindingSelect.value && a.binding !== bindingSelect.value) { return false; }
    for (var elementId in columnFilters) {
      if (columnFilters[elementId].indexOf(assessmentOf(a, elementId)) < 0) { return false; }
    }
    if (reviewFilter) {
      var found = false;
      for (var ci = 0; ci < columns.length && !found; ci++) {
        var cell = cellOf(a, columns[ci].element.id);
        found = shownColumn(ci) && !!cell && cell.stored && cell.review === reviewFilter;
      }
      if (!found) { return false; }
    }
    // What a search matches comes from the app (searchable_texts), lowercased.
    var query = searchInput.value.trim().toLowerCase();
    if (query && a.search.indexOf(query) < 0) { return false; }
    return true;
  }
  // The first screenful of rows is filtered at once; rows below it change a chunk per frame,
  // so a filter on a large grid answers at once instead of laying out every cell.
  var FIRST_ROWS = 60;
  var ROWS_PER_FRAME = 150;
  var pendingRows = [];
  function settleRows(limit) {
    var done = 0;
    while (pendingRows.length && done < limit) {
      var row = pendingRows.shift();
      row.tr.classList.toggle('out', !row.shown);
      done++;
    }
  }
  function settleRestLater() {
    if (!pendingRows.length) { return; }
    window.requestAnimationFrame(function () {
      settleRows(ROWS_PER_FRAME);
      settleRestLater();
    });
  }
  window.addEventListener('beforeprint', function () { settleRows(Infinity); });
  function applyFilters() {
    var shown = 0;
    var running = pendingRows.length > 0;
    pendingRows = [];
    var trs = tbody.children;
    for (var i = 0; i < trs.length; i++) {
      var row = rows[trs[i].rowData];
      var match = rowMatches(row);
      row.shown = match;
      if (row.tr.classList.contains('out') === match) {
        if (shown < FIRST_ROWS) { row.tr.classList.toggle('out', !match); } else { pendingRows.push(row); }
      }
      if (match) { shown++; }
    }
    if (!running) { settleRestLater(); }
    count.textContent = shown + ' of ' + rows.length + ' agreements';
    if (shown === 0) { count.textContent += ': none matches; change or clear the filters'; }
  }
  // The width fixed table layout needs: the name column and each shown column (see the CSS).
  function sizeTable() {
    var shown = 0;
    for (var ci = 0; ci < columns.length; ci++) { if (shownColumn(ci)) { shown++; } }
    table.style.width = 'calc(' + (11.5 + 1.9 * shown) + 'rem + ' + (shown + 2) + 'px)';
  }
  function applyFrameworks() {
    frameworkBoxes.forEach(function (box, fi) {
      table.classList.toggle('hide-fw-' + fi, !box.checked);
    });
    sizeTable();
    if (reviewFilter) { applyFilters(); }
  }

  // Saved views: the project's filters, sort and frameworks, by id. The rows' order comes
  // from the app (view.order), so the page never sorts.
  function placeRows(view) {
    var fragment = document.createDocumentFragment();
    if (view) {
      view.order.forEach(function (index) { fragment.appendChild(rows[index].tr); });
    } else {
      rows.forEach(function (r) { fragment.appendChild(r.tr); });
    }
    tbody.appendChild(fragment);
  }
  function applyView(view) {
    var frameworks = view && view.frameworks && view.frameworks.length ? view.frameworks : null;
    frameworkBoxes.forEach(function (box) {
      box.checked = !frameworks || frameworks.indexOf(box.dataset.framework) >= 0;
    });
    spaceSelect.value = view && view.space ? view.space : '';
    bindingSelect.value = view && view.binding ? view.binding : '';
    searchInput.value = view && view.text ? view.text : '';
    reviewFilter = view && view.review ? view.review : null;
    columnFilters = {};
    columnSelects.forEach(function (select) {
      var wanted = view && view.column_filters ? view.column_filters[select.dataset.element] : null;
      var custom = select.querySelector('option[value="*"]');
      if (custom) { select.removeChild(custom); }
      if (wanted && wanted.length) {
        columnFilters[select.dataset.element] = wanted.slice();
        if (wanted.length === 1) {
          select.value = wanted[0];
        } else {
          var labels = wanted.map(function (k) { return (assessmentByKey[k] || { label: k }).label; });
          select.appendChild(option('*', labels.join(' or ')));
          select.value = '*';
        }
      } else {
        select.value = '';
      }
      select.parentNode.classList.toggle('filtered', !!(wanted && wanted.length));
    });
    applyFrameworks();
    placeRows(view);
    applyFilters();
  }

  // ---- verdicts ----------------------------------------------------------------------------
  function markCell(agreementId, elementId) {
    var td = cellNodes[verdictKey(agreementId, elementId)];
    if (!td) { return; }
    var verdict = review.verdicts[verdictKey(agreementId, elementId)];
    td.classList.remove('v-Reviewed', 'v-Disputed', 'v-NeedsReview');
    var label = td.baseLabel;
    if (verdict) {
      td.classList.add('v-' + verdict.status);
      label += '; your verdict: ' + (verdictLabel[verdict.status] || verdict.status);
    }
    td.setAttribute('aria-label', label);
  }
  function updateProgress() {
    var n = Object.keys(review.verdicts).length;
    progress.textContent = n === 1 ? '1 verdict' : n + ' verdicts';
    if (!review.reviewer) { progress.textContent += ' · enter your name to give verdicts'; }
    if (review.unsaved && n > 0) { progress.textContent += ' · changed since you last saved your review'; }
  }
  function changed() {
    review.unsaved = true;
    persist();
  }

  // Printed, the copy says what this reviewer decided: name, date and every verdict.
  var printedReview = make('section', 'print-review');
  body.appendChild(printedReview);
  window.addEventListener('beforeprint', function () {
    while (printedReview.firstChild) { printedReview.removeChild(printedReview.firstChild); }
    var keys = Object.keys(review.verdicts).sort();
    printedReview.appendChild(make('h2', null, 'Review by ' + (review.reviewer || '(no name entered)') +
      ', printed ' + when(new Date().toISOString())));
    if (!keys.length) {
      printedReview.appendChild(make('p', null, 'No verdicts yet.'));
      return;
    }
    var list = make('ol');
    keys.forEach(function (key) {
      var v = review.verdicts[key];
      var agreement = agreementById[v.agreement];
      var column = columns[columnByElement[v.element]];
      var item = make('li');
      item.appendChild(make('strong', null,
        (agreement ? rowName(agreement) : v.agreement) + ' / ' +
        (column ? columnName(column.element) : v.element) + ': ' + verdictLabel[v.status]));
      if (v.comment) { item.appendChild(make('p', null, v.comment)); }
      list.appendChild(item);
    });
    printedReview.appendChild(list);
  });
  Object.keys(review.verdicts).forEach(function (key) {
    var v = review.verdicts[key];
    if (v && agreementById[v.agreement] && columnByElement[v.element] !== undefined) {
      markCell(v.agreement, v.element);
    } else {
      delete review.verdicts[key];
    }
  });

  function saveReview() {
    var reviewer = nameInput.value.trim() || review.reviewer;
    if (!reviewer) {
      progress.textContent = 'Enter your name before saving your review.';
      nameInput.focus();
      return;
    }
    review.reviewer = reviewer;
    review.unsaved = false;
    persist();
    var verdicts = Object.keys(review.verdicts).sort().map(function (key) {
      var v = review.verdicts[key];
      return {
        agreement: v.agreement,
        element: v.element,
        status: v.status,
        comment: v.comment || '',
        fingerprint: v.fingerprint,
        at: v.at
      };
    });
    var now = new Date();
    var file = {
      format: project.review_format,
      version: project.review_version,
      project_id: project.id,
      project_title: project.title,
      copy_made_at: project.made_at,
      reviewer: reviewer,
      saved_at: now.toISOString(),
      verdicts: verdicts
    };
    var blob = new Blob([JSON.stringify(file, null, 2) + '\n'], { type: 'application/json' });
    var link = make('a');
    link.href = URL.createObjectURL(blob);
    // The reviewer's name in the file name, so several reviewers' files don't collide.
    var who = reviewer.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    link.download = 'review-' + project.id + (who ? '-' + who : '') + '-' +
      now.toISOString().slice(0, 10) + '.json';
    body.appendChild(link);
    link.click();
    body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    progress.textContent = 'Saved ' + link.download + ' with ' + verdicts.length +
      (verdicts.length === 1 ? ' verdict' : ' verdicts') + '. Send it to the project\'s volunteer.';
  }

  // ---- the detail panel -------------------------------------------------------------------
  var selected = null;
  function section(title) {
    var s = make('section', 'detail-section');
    s.appendChild(make('h3', null, title));
    return s;
  }
  function fact(list, term, value) {
    if (!value) { return; }
    list.appendChild(make('dt', null, term));
    list.appendChild(make('dd', null, value));
  }
  function showDetail(agreementId, elementId) {
    var agreement = agreementById[agreementId];
    var column = columns[columnByElement[elementId]];
    if (!agreement || !column) { return; }
    if (selected) { selected.classList.remove('selected'); }
    selected = cellNodes[verdictKey(agreementId, elementId)];
    if (selected) { selected.classList.add('selected'); }
    var element = column.element;
    var cell = cellOf(agreement, elementId);
    var a = assessmentByKey[cell ? cell.assessment : 'NotAssessed'];
    while (detail.firstChild) { detail.removeChild(detail.firstChild); }

    var close = make('button', 'close no-print', 'Close details');
    close.type = 'button';
    close.addEventListener('click', function () {
      while (detail.firstChild) { detail.removeChild(detail.firstChild); }
      detail.classList.remove('open');
      if (selected) { selected.classList.remove('selected'); selected.focus(); }
    });
    detail.appendChild(close);
    detail.onkeydown = function (event) {
      // Escape leaves the panel for the grid, except while typing a comment.
      if (event.key === 'Escape' && event.target.nodeName !== 'TEXTAREA') { close.click(); }
    };
    detail.appendChild(make('h2', null, agreement.name));
    var heading = make('p', 'element-name', columnName(element) + ' · ' + column.framework.name);
    detail.appendChild(heading);
    if (element.description) { detail.appendChild(make('p', 'element-description', element.description)); }
    var badge = make('p', 'assessment');
    badge.appendChild(make('span', 'badge a-' + a.key, a.letter + ' ' + a.label));
    detail.appendChild(badge);

    var facts = make('dl', 'facts');
    if (cell && cell.note) { fact(facts, 'Note', cell.note); }
    fact(facts, 'Review status', reviewLabel[cell ? cell.review : 'Draft']);
    if (cell && (cell.edited_by || cell.edited_at)) {
      fact(facts, 'Last edited', [cell.edited_by, when(cell.edited_at)].filter(Boolean).join(', '));
    }
    if (cell && (cell.reviewed_by || cell.reviewed_at)) {
      fact(facts, 'Reviewed', [cell.reviewed_by, when(cell.reviewed_at)].filter(Boolean).join(', '));
    }
    var meta = [agreement.year, spaceLabel[agreement.space], bindingLabel[agreement.binding]].filter(Boolean).join(' · ');
    fact(facts, 'Agreement', meta);
    detail.appendChild(facts);
    // The verdict comes first, so it is found without scrolling past long evidence.
    detail.appendChild(verdictView(agreement, column, elementId));

    var evidence = section('Evidence');
    if (!cell || !cell.evidence.length) {
      evidence.appendChild(make('p', 'empty', 'No evidence quoted for this cell.'));
    } else {
      cell.evidence.forEach(function (excerpt) { evidence.appendChild(excerptView(excerpt)); });
    }
    detail.appendChild(evidence);

    var history = section('History');
    if (!cell || !cell.notes.length) {
      history.appendChild(make('p', 'empty', 'No discussion or review notes on this cell.'));
    } else {
      var list = make('ol', 'notes');
      cell.notes.forEach(function (note) {
        var item = make('li', 'note');
        item.appendChild(make('p', 'note-meta', note.kind + ' · ' + note.author + ' · ' + note.date));
        item.appendChild(make('p', 'note-text', note.text));
        list.appendChild(item);
      });
      history.appendChild(list);
    }
    detail.appendChild(history);

    var initiatives = section('Initiatives linked to this agreement');
    if (!agreement.initiatives.length) {
      initiatives.appendChild(make('p', 'empty', 'None.'));
    } else {
      var ul = make('ul', 'initiatives');
      agreement.initiatives.forEach(function (initiative) {
        var li = make('li');
        li.appendChild(make('strong', null, initiative.title));
        var who = [initiative.stakeholder, initiative.group].filter(Boolean).join(', ');
        if (who) { li.appendChild(make('span', 'muted', ' — ' + who)); }
        if (initiative.description) { li.appendChild(make('p', null, initiative.description)); }
        ul.appendChild(li);
      });
      initiatives.appendChild(ul);
    }
    detail.appendChild(initiatives);
    detail.classList.add('open');
  }

  function excerptView(excerpt) {
    var box = make('article', 'excerpt');
    var top = make('p', 'excerpt-meta');
    top.appendChild(make('span', 'state state-' + excerpt.state.replace(/[^a-z]+/g, '-') + (excerpt.failing ? ' failing' : ''), excerpt.state));
    if (excerpt.locator) { top.appendChild(make('span', 'locator', excerpt.locator)); }
    if (excerpt.source_title) { top.appendChild(make('span', 'source', excerpt.source_title)); }
    if (excerpt.source_quotes_the_agreement) {
      // "Verified" then means found in this report, not in the treaty's own text.
      top.appendChild(make('span', 'source-note',
        'A document quoting the agreement, not its own text: the quote is checked against this document.'));
    }
    box.appendChild(top);
    if (excerpt.exact) { box.appendChild(make('blockquote', 'exact', excerpt.exact)); }
    if (excerpt.comment) { box.appendChild(make('p', 'comment', excerpt.comment)); }
    if (excerpt.differences) {
      box.appendChild(make('p', 'differences', 'The source now says: ' + excerpt.differences));
    }
    if (excerpt.passage) {
      var context = make('div', 'passage');
      if (excerpt.outline.length) {
        var path = make('ol', 'outline');
        path.setAttribute('aria-label', 'Where in the source');
        excerpt.outline.forEach(function (h) { path.appendChild(make('li', null, h)); });
        context.appendChild(path);
      }
      var text = make('p', 'passage-text');
      text.appendChild(make('span', 'context', (excerpt.passage.before.length ? '…' : '') + excerpt.passage.before));
      text.appendChild(make('mark', null, excerpt.passage.exact));
      text.appendChild(make('span', 'context', excerpt.passage.after + (excerpt.passage.after.length ? '…' : '')));
      context.appendChild(text);
      box.appendChild(context);
    }
    if (excerpt.page) {
      // The quote on its page, drawn from the original PDF: our text can be checked against it.
      var figure = make('figure', 'page-crop');
      // The crop fits the panel; a click shows it at full size (scroll sideways), and back.
      var zoom = make('button', 'page-zoom');
      zoom.type = 'button';
      zoom.setAttribute('aria-pressed', 'false');
      zoom.title = 'Show the page at full size';
      zoom.addEventListener('click', function () {
        var full = figure.classList.toggle('full');
        zoom.setAttribute('aria-pressed', full ? 'true' : 'false');
        zoom.title = full ? 'Fit the page to the panel' : 'Show the page at full size';
      });
      var image = make('img');
      image.src = excerpt.page.data_url;
      image.width = excerpt.page.width;
      image.height = excerpt.page.height;
      image.alt = 'The quote highlighted on page ' + excerpt.page.page + ' of ' + excerpt.source_title;
      zoom.appendChild(image);
      figure.appendChild(zoom);
      figure.appendChild(make('figcaption', null, 'On page ' + excerpt.page.page + ' of the original PDF' +
        (excerpt.page.continues ? ' (the quote runs on to the next page)' : '') +
        ', highlighted. Click it to see it at full size.'));
      box.appendChild(figure);
    }
    return box;
  }

  function verdictView(agreement, column, elementId) {
    var key = verdictKey(agreement.id, elementId);
    var box = section('Your verdict');
    box.classList.add('verdict');
    var current = review.verdicts[key];
    var status = make('p', 'verdict-status');
    status.setAttribute('role', 'status');
    var comment = make('textarea');
    comment.id = 'verdict-comment';
    comment.rows = 3;
    comment.value = current ? current.comment || '' : (review.drafts[key] || '');
    var buttons = make('div', 'verdict-buttons');
    var buttonNodes = [];
    function refresh() {
      var v = review.verdicts[key];
      buttonNodes.forEach(function (b) {
        b.setAttribute('aria-pressed', v && v.status === b.dataset.status ? 'true' : 'false');
      });
      status.textContent = v ? 'Your verdict: ' + verdictLabel[v.status] + ' (' + when(v.at) + ')' : 'No verdict yet.';
      remove.disabled = !v;
    }
    data.verdicts.forEach(function (v) {
      var button = make('button', 'verdict-button v-' + v.key, v.label);
      button.type = 'button';
      button.dataset.status = v.key;
      button.addEventListener('click', function () {
        var reviewer = nameInput.value.trim() || review.reviewer;
        if (!reviewer) {
          status.textContent = 'Enter your name at the top first; it goes with your verdicts.';
          nameInput.focus();
          return;
        }
        review.reviewer = reviewer;
        // One verdict per cell: a new one replaces the old.
        review.verdicts[key] = {
          agreement: agreement.id,
          element: elementId,
          status: v.key,
          comment: comment.value,
          fingerprint: agreement.fingerprints[columnByElement[elementId]],
          at: new Date().toISOString()
        };
        delete review.drafts[key];
        changed();
        markCell(agreement.id, elementId);
        updateProgress();
        refresh();
      });
      buttonNodes.push(button);
      buttons.appendChild(button);
    });
    box.appendChild(buttons);
    box.appendChild(labelled('Comment (sent with your verdict as a review note signed with your name; kept here until you choose a verdict)', comment));
    comment.addEventListener('input', function () {
      var v = review.verdicts[key];
      if (v) {
        v.comment = comment.value;
        changed();
        updateProgress();
        return;
      }
      if (comment.value) { review.drafts[key] = comment.value; } else { delete review.drafts[key]; }
      persist();
    });
    var remove = make('button', 'remove-verdict', 'Remove my verdict');
    remove.type = 'button';
    remove.addEventListener('click', function () {
      delete review.verdicts[key];
      changed();
      markCell(agreement.id, elementId);
      updateProgress();
      refresh();
    });
    box.appendChild(remove);
    box.appendChild(status);
    refresh();
    return box;
  }

  // One listener for every cell: clicks, Enter/Space, and arrow keys between cells.
  function cellFrom(target) {
    var node = target;
    while (node && node !== tbody) {
      if (node.nodeName === 'TD' && node.classList.contains('cell')) { return node; }
      node = node.parentNode;
    }
    return null;
  }
  tbody.addEventListener('click', function (event) {
    var td = cellFrom(event.target);
    if (!td) { return; }
    showDetail(td.getAttribute('data-agreement'), td.getAttribute('data-element'));
  });
  tbody.addEventListener('keydown', function (event) {
    var td = cellFrom(event.target);
    if (!td) { return; }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      showDetail(td.getAttribute('data-agreement'), td.getAttribute('data-element'));
      return;
    }
    var next = null;
    var tr = td.parentNode;
    var index = Array.prototype.indexOf.call(tr.children, td);
    function visibleRow(from, step) {
      var r = step > 0 ? from.nextElementSibling : from.previousElementSibling;
      while (r && r.classList.contains('out')) { r = step > 0 ? r.nextElementSibling : r.previousElementSibling; }
      return r;
    }
    if (event.key === 'ArrowRight') { next = td.nextElementSibling; }
    if (event.key === 'ArrowLeft') { next = td.previousElementSibling; }
    if (event.key === 'ArrowDown') { var down = visibleRow(tr, 1); next = down && down.children[index]; }
    if (event.key === 'ArrowUp') { var up = visibleRow(tr, -1); next = up && up.children[index]; }
    if (next && next.nodeName === 'TD') {
      event.preventDefault();
      td.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });

  // "#cell=AGREEMENT/ELEMENT" opens that cell's details, so a message can point at a cell.
  function showCellInAddress() {
    var match = /^#cell=([^/]+)\/(.+)$/.exec(window.location.hash);
    if (match) { showDetail(decodeURIComponent(match[1]), decodeURIComponent(match[2])); }
  }
  window.addEventListener('hashchange', showCellInAddress);

  sizeTable();
  applyFilters();
  updateProgress();
  showCellInAddress();
  window.normgridReady = true;
  performance.mark('normgrid-interactive');
})();
